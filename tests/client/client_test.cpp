#include <catch2/catch.hpp>

namespace lietvedis::client {
int LayerVersion();
}

TEST_CASE("client layer links", "[client]") { CHECK(lietvedis::client::LayerVersion() == 1); }
