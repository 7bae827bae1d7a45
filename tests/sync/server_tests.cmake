# The central store's tests (lv_server_tests): protocol codec, both back ends over real HTTP,
# the lietvedis-server binary. PostgreSQL tests start a throwaway cluster (tests/support).
set(LV_SYNC_SERVER_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/protocol_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pull_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_readers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_input_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_binary_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_multi_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../support/pg_cluster.cpp
)

# The binary test runs the real program; the benchmark is a program with a ctest smoke run.
set(LV_SERVER_BENCH_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/server_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../support/pg_cluster.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../support/temp_dir.cpp
)

# Runs after tests/sync/CMakeLists.txt has created lv_server_tests (its if() below this include).
function(lv_server_test_extras)
  if(TARGET lv_server_tests)
    add_dependencies(lv_server_tests lietvedis-server)
    target_compile_definitions(lv_server_tests PRIVATE
      LV_SERVER_BINARY="$<TARGET_FILE:lietvedis-server>")
    target_link_libraries(lv_server_tests PRIVATE PostgreSQL::PostgreSQL)
  endif()
  add_executable(lv_server_bench ${LV_SERVER_BENCH_SOURCES})
  target_link_libraries(lv_server_bench PRIVATE lv_server lv_options PostgreSQL::PostgreSQL)
  add_test(NAME lv_server_bench_smoke COMMAND lv_server_bench --clients 4 --seconds 2)
endfunction()
cmake_language(DEFER CALL lv_server_test_extras)
