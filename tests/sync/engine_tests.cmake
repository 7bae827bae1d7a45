# Unit tests of the engine layer (no server): lv_sync_tests, via LV_SYNC_ENGINE_TESTS.
set(LV_SYNC_ENGINE_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/replica_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/row_clock_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync_test_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/merge_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/convergence_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envelope_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/push_proof_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/directory_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_address_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/access_rules_test.cpp
)
# The engine against a real central store on loopback, and the sync benchmark.
if(TARGET lv_server)
  lv_add_test_executable(lv_sync_engine_tests
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/engine_world.cpp ${CMAKE_CURRENT_LIST_DIR}/engine_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/engine_directory_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/engine_hostile_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/engine_wire_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/engine_cover_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/link_test.cpp
            ${CMAKE_CURRENT_LIST_DIR}/../support/pg_cluster.cpp
            ${CMAKE_CURRENT_LIST_DIR}/../support/link_proxy.cpp
    LIBS lv_server)
endif()
if(TARGET lv_server)
  add_executable(lv_sync_bench ${CMAKE_CURRENT_LIST_DIR}/sync_bench.cpp
    ${PROJECT_SOURCE_DIR}/tests/support/temp_dir.cpp ${PROJECT_SOURCE_DIR}/tests/support/link_proxy.cpp)
  target_link_libraries(lv_sync_bench PRIVATE lv_server lv_options)
  add_test(NAME lv_sync_bench_smoke COMMAND lv_sync_bench --smoke --runs 2)
endif()
# The same simulated link as a program, for the PouchDB baseline (bench/pouchdb_pull.js).
add_executable(lv_link_proxy ${PROJECT_SOURCE_DIR}/tests/support/link_proxy_main.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/link_proxy.cpp)
target_link_libraries(lv_link_proxy PRIVATE lv_sync lv_options)
add_test(NAME lv_link_proxy_smoke COMMAND sh -c
  "printf 'counters\\n' | $<TARGET_FILE:lv_link_proxy> --upstream http://127.0.0.1:9 --profile poor | grep -q '\"bytes_up\":0'")
add_executable(lv_codec_bench ${CMAKE_CURRENT_LIST_DIR}/codec_bench.cpp)
target_link_libraries(lv_codec_bench PRIVATE lv_sync lv_options)
add_test(NAME lv_codec_bench_smoke COMMAND lv_codec_bench --smoke --runs 1)
