pytest_plugins = ["fixtures.app", "fixtures.factories", "fixtures.live", "fixtures.postgres",
                  "fixtures.search_postgres", "fixtures.world"]
