set(LV_CLIENT_TOOLS_TESTS
  ${CMAKE_CURRENT_LIST_DIR}/validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/agenda_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mentoring_signoff_agenda_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/indicators_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_data_test.cpp
)

# The command line, tested by running the real binary on temporary stores.
lv_add_test_executable(lv_cli_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp ${CMAKE_CURRENT_LIST_DIR}/cli_sync_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cli_check_test.cpp ${CMAKE_CURRENT_LIST_DIR}/cli_purge_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cli_kill_test.cpp ${CMAKE_CURRENT_LIST_DIR}/cli_transfer_test.cpp
  LIBS nlohmann_json::nlohmann_json lv_storage lv_sync)
add_dependencies(lv_cli_tests lietvedis lietvedis-server)
target_compile_definitions(lv_cli_tests PRIVATE LV_LIETVEDIS_BIN="$<TARGET_FILE:lietvedis>"
  LV_SERVER_BINARY="$<TARGET_FILE:lietvedis-server>")

# client::Device against the real server (offline lock, revocation), and the audit hash
# chains (on a store, and verified by two enrolled devices through the real server).
lv_add_test_executable(lv_device_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/device_test.cpp ${CMAKE_CURRENT_LIST_DIR}/audit_chain_test.cpp
  LIBS lv_client)
add_dependencies(lv_device_tests lietvedis-server)
target_compile_definitions(lv_device_tests PRIVATE
  LV_SERVER_BINARY="$<TARGET_FILE:lietvedis-server>")

# Documents handed to others (client/documents/): the renderer and the table writers in
# process, and the commands through the real binary (pdftotext, pdfinfo and unzip read the
# results).
lv_add_test_executable(lv_documents_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/documents_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/documents_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/export_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/evaluation_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/subject_access_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/mediation_report_test.cpp
  LIBS lv_documents nlohmann_json::nlohmann_json)
add_dependencies(lv_documents_tests lietvedis)
target_compile_definitions(lv_documents_tests PRIVATE LV_LIETVEDIS_BIN="$<TARGET_FILE:lietvedis>")

# Documents benchmark (docs/BENCHMARKS.md): a long evaluation report to PDF against a one-page
# one, 10,000 caseload rows to XLSX against CSV. The ctest entry is a smoke run with small sizes.
add_executable(lv_documents_bench ${CMAKE_CURRENT_LIST_DIR}/documents_bench.cpp)
target_link_libraries(lv_documents_bench PRIVATE lv_documents lv_options)
add_test(NAME lv_documents_bench_smoke COMMAND lv_documents_bench --smoke --runs 1)
