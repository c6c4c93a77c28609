"""The django-viewflow baseline of the lifecycle bench (bench/bench_lifecycle.py): a minimal
viewflow 2.x flow of the same process as motcua's, in a Django project of its own (settings,
app, scratch database), run by `python -m bench.viewflow_site.run` in a subprocess, since one
Python process holds one Django settings module. Never installed in motcua."""
