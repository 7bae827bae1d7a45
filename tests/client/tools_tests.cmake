set(LV_CLIENT_TOOLS_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/agenda_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/indicators_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_data_test.cpp
)
