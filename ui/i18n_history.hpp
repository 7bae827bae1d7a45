// The case history's strings (the Vēsture tab, ui/screen_casefile.cpp): what happened to a
// record, and the words for the documents, answers and openings the access log names. Part of
// LV_UI_STRINGS in ui/i18n.hpp, kept apart so that neither file outgrows a screen's worth.
#pragma once

// X(key, latvian, english)
#define LV_UI_STRINGS_HISTORY(X)                                                      \
  X(kHistoryCreated, "izveidots", "created")                                          \
  X(kHistoryUpdated, "mainīts", "updated")                                            \
  X(kHistoryRead, "skatīts", "read")                                                  \
  X(kHistorySigned, "parakstīts", "signed")                                           \
  X(kHistoryClosed, "slēgts", "closed")                                               \
  X(kHistoryCorrection, "labojums", "correction")                                     \
  X(kHistoryVersion, "versija", "version")                                            \
  X(kHistoryRender, "sagatavots dokuments", "document rendered")                      \
  X(kHistoryExport, "eksportēts", "exported")                                         \
  X(kHistoryImport, "importēts", "imported")                                          \
  X(kHistoryRecord, "Ieraksts", "Record")                                             \
  X(kHistoryChange, "Izmaiņas", "Change")                                             \
  X(kHistoryKindFilter, "Ieraksta veids", "Record kind")                              \
  X(kHistoryAllKinds, "Visi ieraksti", "All records")                                 \
  X(kHistoryNoValue, "—", "—")                                                        \
  X(kHistoryCut, "… (saīsināts)", "… (shortened)")                                    \
  X(kHistoryReason, "pamatojums", "reason")                                           \
  X(kHistoryCaseRead, "lietas skatīšana", "case file viewed")                         \
  X(kHistoryCountersigned, "kontrasignēts", "countersigned")                          \
  X(kHistoryBreakGlass, "ārkārtas piekļuve", "break-glass access")                    \
  X(kHistorySubjectAccess, "atbilde datu subjektam", "subject access answered")       \
  X(kDocCaseSummary, "Lietas kopsavilkums", "Case summary")                           \
  X(kDocCourtApplication, "Pieteikums tiesai", "Application to court")                \
  X(kDocEvaluationReport, "Izvērtēšanas ziņojums", "Evaluation report")               \
  X(kDocMediationReport, "Ziņojums par izlīguma procesu", "Mediation report")         \
  X(kDocMinutes, "Sanāksmes protokols", "Meeting minutes")                            \
  X(kDocAgencyPack, "Informācijas pakete iestādei", "Information pack for an agency") \
  X(kDocPages, "%s, PDF, %d lpp.", "%s, PDF, %d pages")                               \
  X(kDocAgencyPackDetail, "%s: %s, izpaušanas: %d", "%s: %s, %d disclosures")         \
  X(kSubjectAccessDetail, "%s, lietas: %d, neizsniegtas ziņas: %d",                   \
    "%s, %d cases, %d items withheld")                                                \
  X(kSubjectAccessBoth, "PDF un JSON", "PDF and JSON")                                \
  X(kBreakGlassHistoryUntil, "atvērts līdz %s", "opened until %s")
