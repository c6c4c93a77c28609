urlpatterns: list = []  # the baseline drives the flow from code, as a service would
