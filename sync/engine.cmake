set(LV_SYNC_ENGINE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/replica.cpp
  ${CMAKE_CURRENT_LIST_DIR}/row_clock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envelope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_transport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
)
