# LV_SYNC_SERVER_SOURCES: the protocol codec and the address rule, linked into lv_sync (client engine and server).
# LV_SERVER_SOURCES: the central store (lv_server, lietvedis-server).
set(LV_SYNC_SERVER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/protocol.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_limits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/access_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pull_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/push_proof.cpp
  ${CMAKE_CURRENT_LIST_DIR}/directory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/root_key.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_address.cpp
)
set(LV_SERVER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/server/server_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/server_store_sqlite.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/server_store_pg.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/server_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/admin_reads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/directory_admin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server/transfers.cpp
)
