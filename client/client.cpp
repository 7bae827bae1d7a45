// Placeholder translation unit for lv_client until the domain model lands.
namespace lietvedis::client {
int LayerVersion() { return 1; }
}  // namespace lietvedis::client
