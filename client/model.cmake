set(LV_CLIENT_MODEL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/permissions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workspace.cpp
  # What each stored column holds (enum codes, flags, numbers, days): corrections and labels.
  ${CMAKE_CURRENT_LIST_DIR}/columns.cpp
  # The audit hash chains: appending an entry in place, verifying the chains a device holds.
  ${CMAKE_CURRENT_LIST_DIR}/audit_chain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_case.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_programmes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_mentoring.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_casework.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflows_evaluation.cpp
  # Victim-offender mediation: parties, mediator, meetings, outcome, fulfilment, report.
  ${CMAKE_CURRENT_LIST_DIR}/workflows_mediation.cpp
  # A unit supervisor's countersignature of a signed assessment, plan version or application.
  ${CMAKE_CURRENT_LIST_DIR}/workflows_approvals.cpp
  # Transfers of a case between units: offer, withdraw, accept with a new officer, decline.
  ${CMAKE_CURRENT_LIST_DIR}/workflows_transfer.cpp
  # Break-glass by a deputy or on a sealed juvenile case; the covers from the directory.
  ${CMAKE_CURRENT_LIST_DIR}/workflows_break_glass.cpp
  ${CMAKE_CURRENT_LIST_DIR}/queries.cpp
  ${CMAKE_CURRENT_LIST_DIR}/queries_partners.cpp
  # A case's history: every change of its records with the values before and after.
  ${CMAKE_CURRENT_LIST_DIR}/history.cpp
  # What the sync screen calls each scope: the client's name and case kind, the unit.
  ${CMAKE_CURRENT_LIST_DIR}/scope_labels.cpp
  # Audit of exported tables and rendered documents; MAPPA agency packs and their log.
  ${CMAKE_CURRENT_LIST_DIR}/workflows_documents.cpp
  # The enrolled device: store + replica + sync engine, the directory and scope hooks.
  ${CMAKE_CURRENT_LIST_DIR}/device.cpp
  ${CMAKE_CURRENT_LIST_DIR}/local_profile.cpp
  # How long closed cases stay on devices; what a person's subject access package holds.
  ${CMAKE_CURRENT_LIST_DIR}/retention.cpp
  # A person's request for the data held about them: what is given, what withheld and why.
  ${CMAKE_CURRENT_LIST_DIR}/subject_access.cpp
)
