set(LV_SYNC_ENGINE_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/replica_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync_test_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/merge_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/convergence_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envelope_test.cpp
)
