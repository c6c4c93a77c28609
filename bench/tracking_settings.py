"""Settings of the tracking bench's server: the product's, with bench/tracking_site.py as the
URLconf (the product's URLs plus /bench/bare/, the baseline on the same server)."""

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.tracking_site"
