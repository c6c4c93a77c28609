"""A deployment's URLs without the opt-out page (test_opt_out_page)."""

urlpatterns: list = []
