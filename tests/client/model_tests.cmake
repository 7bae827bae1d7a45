set(LV_CLIENT_MODEL_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/schema_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/permissions_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mentoring_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/approvals_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/invariants_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/migration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/casework_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scope_labels_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mediation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/break_glass_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/corrections_test.cpp
  # What each stored column holds, against the demo unit; corrections of the wrong kind.
  ${CMAKE_CURRENT_LIST_DIR}/columns_test.cpp
)

# Writes tests/client/fixtures/store-vN (run by hand when a schema step is added; see the file).
add_executable(lv_make_store_fixture ${CMAKE_CURRENT_LIST_DIR}/fixtures/make_store_fixture.cpp)
target_link_libraries(lv_make_store_fixture PRIVATE lv_client)

# Benchmark program (not a timed test): lists, searches and opens case files at scale and
# compares with a query-per-case baseline. The ctest entry is a smoke run with tiny sizes.
add_executable(lv_caseload_bench ${CMAKE_CURRENT_LIST_DIR}/caseload_bench.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/temp_dir.cpp)
target_link_libraries(lv_caseload_bench PRIVATE lv_client)
add_test(NAME caseload_bench_smoke COMMAND lv_caseload_bench --cases 40 --officers 4 --runs 5)
