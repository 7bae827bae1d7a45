set(LV_CLIENT_TOOLS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/validation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jsonl.cpp
  ${CMAKE_CURRENT_LIST_DIR}/agenda.cpp
  ${CMAKE_CURRENT_LIST_DIR}/indicators.cpp
)
# Documents handed to others (client/documents/): tables as CSV and XLSX, PDF documents with
# Pango + Cairo. A library of its own: only the CLI (and later the desktop) links Pango,
# Cairo and libxlsxwriter, not the server or the sync tests.
set(LV_DOCUMENTS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/documents/tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/documents/render.cpp
  ${CMAKE_CURRENT_LIST_DIR}/documents/builders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/documents/export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/documents/subject_access.cpp
)
set(LV_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cli/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/setup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/cases.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/evaluation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/programmes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/mentoring.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/mappa.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/community.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/mediation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/admin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/reports.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/documents.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/subject_access.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/transfers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/break_glass.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/sync.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli/check.cpp
)
