pytest_plugins = ["fixtures.app", "fixtures.factories", "fixtures.live", "fixtures.world"]
