// Every string the desktop client shows, in one table: Latvian (default) and English.
//
// S::k... names a string; Tr(S) returns it in the current language. Enum values of the domain
// model have their own labels (Tr(CaseKind::...)). Labels of widgets that scripts or tests
// click are built with Id(S, "stable_id") -> "Saglabāt###stable_id", so the ImGui ID stays the
// same when the language changes.
//
// Threading: the language is switched by the main thread between frames; Tr() may be called
// from any thread (the table is constant; the language flag is atomic).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/agenda.hpp"
#include "client/model.hpp"
#include "ui/i18n_admin.hpp"
#include "ui/i18n_history.hpp"

namespace lietvedis::ui {

enum class Lang { kLv, kEn };
void SetLanguage(Lang lang);
Lang Language();

// X(key, latvian, english)
#define LV_UI_STRINGS(X)                                                                                      \
  X(kAppName, "Lietvedis", "Lietvedis")                                                                       \
  X(kAppSubtitle, "Valsts probācijas dienests", "State Probation Service")                                    \
  X(kNavCaseload, "Klientu lietas", "Caseload")                                                               \
  X(kNavAgenda, "Darba kārtība", "Agenda")                                                                    \
  X(kNavVolunteers, "Līdzgaitnieki", "Volunteers")                                                            \
  X(kNavCards, "Klientu kartītes", "Client cards")                                                            \
  X(kNavDashboard, "Vadītāja pārskats", "Supervisor dashboard")                                               \
  X(kNavMappa, "Starpinstitūciju sanāksmes", "Inter-agency meetings")                                         \
  X(kNavSync, "Sinhronizācija", "Synchronisation")                                                            \
  X(kNavAdmin, "Administrēšana", "Administration")                                                            \
  LV_UI_STRINGS_ADMIN(X)                                                                                      \
  LV_UI_STRINGS_HISTORY(X)                                                                                    \
  X(kLock, "Bloķēt", "Lock")                                                                                  \
  X(kOtherLanguage, "English", "Latviski")                                                                    \
  X(kUnlockTitle, "Atbloķēt datu krātuvi", "Unlock the data store")                                           \
  X(kUnlockIntro, "Dati šajā datorā ir šifrēti. Ievadiet savu paroli.",                                       \
    "The data on this computer is encrypted. Enter your passphrase.")                                         \
  X(kPassphrase, "Parole", "Passphrase")                                                                      \
  X(kPassphraseRepeat, "Parole atkārtoti", "Repeat passphrase")                                               \
  X(kUnlock, "Atbloķēt", "Unlock")                                                                            \
  X(kUnlocking, "Atbloķē… atslēgas atvasināšana aizņem dažas sekundes",                                       \
    "Unlocking… deriving the key takes a few seconds")                                                        \
  X(kWrongPassphrase, "Parole nav pareiza. Pārbaudiet tastatūras valodu un Caps Lock.",                       \
    "That passphrase is not correct. Check the keyboard layout and Caps Lock.")                               \
  X(kEnrolTitle, "Ierīces reģistrācija", "Enrol this device")                                                 \
  X(kEnrolIntro,                                                                                              \
    "Ievadiet administratora izsniegto reģistrācijas kodu un izvēlieties paroli šai ierīcei.",                \
    "Enter the enrolment code from your administrator and choose a passphrase for this device.")              \
  X(kEnrolmentCode, "Reģistrācijas kods", "Enrolment code")                                                   \
  X(kServerUrl, "Servera adrese", "Server address")                                                           \
  X(kEnrol, "Reģistrēt ierīci", "Enrol device")                                                               \
  X(kEnrolling, "Izveido šifrēto krātuvi…", "Creating the encrypted store…")                                  \
  X(kPassphraseMismatch, "Paroles nesakrīt.", "The passphrases do not match.")                                \
  X(kPassphraseShort, "Parolei jābūt vismaz 10 rakstzīmes garai.",                                            \
    "The passphrase needs at least 10 characters.")                                                           \
  X(kCodeMissing, "Ievadiet reģistrācijas kodu.", "Enter the enrolment code.")                                \
  X(kRecoveryTitle, "Atkopšanas komplekts", "Recovery kit")                                                   \
  X(kRecoveryText,                                                                                            \
    "Pierakstiet šo atkopšanas atslēgu un glabājiet to drošā vietā. Tā tiek parādīta tikai "        \
    "vienreiz; bez tās aizmirstu paroli atjaunot nevar.",                                                     \
    "Write this recovery key down and keep it somewhere safe. It is shown only once; without it "             \
    "a forgotten passphrase cannot be recovered.")                                                            \
  X(kRecoveryDone, "Esmu to pierakstījis", "I have written it down")                                          \
  X(kDevMode,                                                                                                 \
    "Izstrādes režīms: šifrētā krātuve šajā būvējumā nav pieejama, dati glabājas nešifrēti.",                 \
    "Development build: the encrypted store is not available, data is kept unencrypted.")                     \
  X(kChooseUser, "Izvēlieties lietotāju", "Choose the user")                                                  \
  X(kChooseUserIntro, "Šī ierīce vēl nav piesaistīta lietotājam (demonstrācijas dati).",                      \
    "This device is not yet bound to a user (demo data).")                                                    \
  X(kContinue, "Turpināt", "Continue")                                                                        \
  X(kAutoLocked, "Krātuve tika bloķēta, jo dators netika lietots.",                                           \
    "The store was locked after a period of inactivity.")                                                     \
  X(kSearchHint, "Meklēt: vārds, uzvārds vai personas kods",                                                  \
    "Search: name, surname or personal code")                                                                 \
  X(kRisk, "Risks", "Risk")                                                                                   \
  X(kCaseKind, "Lietas veids", "Case kind")                                                                   \
  X(kOfficer, "Atbildīgais", "Officer")                                                                       \
  X(kOverdueOnly, "Tikai nokavētās", "Overdue only")                                                          \
  X(kAll, "Visi", "All")                                                                                      \
  X(kClient, "Klients", "Client")                                                                             \
  X(kPersonalCode, "Personas kods", "Personal code")                                                          \
  X(kLastContact, "Pēdējais kontakts", "Last contact")                                                        \
  X(kNextContact, "Nākamais kontakts", "Next contact")                                                        \
  X(kStatus, "Statuss", "Status")                                                                             \
  X(kOverdue, "Nokavēts", "Overdue")                                                                          \
  X(kCasesShown, "Lietas", "Cases")                                                                           \
  X(kNewClient, "Jauns klients", "New client")                                                                \
  X(kLoading, "Ielādē…", "Loading…")                                                                          \
  X(kNoCases, "Nav lietu, kas atbilst filtriem.", "No cases match the filters.")                              \
  X(kNotAssessed, "Nav novērtēts", "Not assessed")                                                            \
  X(kName, "Vārds", "Name")                                                                                   \
  X(kSurname, "Uzvārds", "Surname")                                                                           \
  X(kBirthDate, "Dzimšanas datums", "Date of birth")                                                          \
  X(kPhone, "Tālrunis", "Phone")                                                                              \
  X(kEmail, "E-pasts", "E-mail")                                                                              \
  X(kAddress, "Adrese", "Address")                                                                            \
  X(kMunicipality, "Pašvaldība", "Municipality")                                                              \
  X(kOpenedOn, "Atvērta", "Opened")                                                                           \
  X(kClosedOn, "Slēgta", "Closed")                                                                            \
  X(kSave, "Saglabāt", "Save")                                                                                \
  X(kCancel, "Atcelt", "Cancel")                                                                              \
  X(kClose, "Aizvērt", "Close")                                                                               \
  X(kRegister, "Reģistrēt", "Register")                                                                       \
  X(kDateHint, "dd.mm.gggg", "dd.mm.yyyy")                                                                    \
  X(kDateTimeHint, "dd.mm.gggg hh:mm", "dd.mm.yyyy hh:mm")                                                    \
  X(kRegisterClientTitle, "Jauna klienta reģistrācija", "Register a new client")                              \
  X(kTabOverview, "Pārskats", "Overview")                                                                     \
  X(kTabSupervision, "Uzraudzība", "Supervision")                                                             \
  X(kTabAssessments, "Novērtējumi", "Assessments")                                                            \
  X(kTabPlan, "Plāns", "Plan")                                                                                \
  X(kTabContacts, "Kontakti", "Contacts")                                                                     \
  X(kTabProgrammes, "Programmas", "Programmes")                                                               \
  X(kTabMentoring, "Līdzgaitnieks", "Mentoring")                                                              \
  X(kTabMappa, "Sanāksmes", "Meetings")                                                                       \
  X(kTabNotes, "Piezīmes", "Notes")                                                                           \
  X(kTabHistory, "Vēsture", "History")                                                                        \
  X(kClientDetails, "Klienta dati", "Client details")                                                         \
  X(kCaseDetails, "Lieta", "Case")                                                                            \
  X(kRelatedPersons, "Ģimenes locekļi un atbalsta personas", "Family members and support persons")            \
  X(kMonitoring, "Elektroniskā uzraudzība", "Electronic monitoring")                                          \
  X(kPlacements, "Sociālās rehabilitācijas centri", "Social-rehabilitation centres")                          \
  X(kEvaluationRequests, "Izvērtēšanas ziņojumi", "Evaluation reports")                                       \
  X(kDeadline, "Termiņš", "Deadline")                                                                         \
  X(kNone, "Nav", "None")                                                                                     \
  X(kSentenceType, "Soda veids", "Sentence")                                                                  \
  X(kCourtDecision, "Tiesas nolēmums", "Court decision")                                                      \
  X(kObligations, "Pienākumi", "Obligations")                                                                 \
  X(kStart, "Sākums", "Start")                                                                                \
  X(kPlannedEnd, "Plānotās beigas", "Planned end")                                                            \
  X(kOpenSection, "Atvērt uzraudzības sekciju", "Open a supervision section")                                 \
  X(kInstrument, "Instruments", "Instrument")                                                                 \
  X(kDate, "Datums", "Date")                                                                                  \
  X(kTotalScore, "Kopvērtējums", "Total score")                                                               \
  X(kRiskLevel, "Riska līmenis", "Risk level")                                                                \
  X(kNeeds, "Vajadzības", "Needs")                                                                            \
  X(kSigned, "Parakstīts", "Signed")                                                                          \
  X(kUnsigned, "Melnraksts", "Draft")                                                                         \
  X(kSign, "Parakstīt", "Sign")                                                                               \
  X(kNewAssessment, "Jauns novērtējums", "New assessment")                                                    \
  X(kVersion, "Versija", "Version")                                                                           \
  X(kNextReview, "Nākamā pārskatīšana", "Next review")                                                        \
  X(kGoal, "Mērķis", "Goal")                                                                                  \
  X(kInterventions, "Intervences", "Interventions")                                                           \
  X(kNoPlan, "Resocializācijas plāns vēl nav izveidots.", "No resocialisation plan yet.")                     \
  X(kMode, "Veids", "Mode")                                                                                   \
  X(kOutcome, "Rezultāts", "Outcome")                                                                         \
  X(kNote, "Piezīme", "Note")                                                                                 \
  X(kRecordContact, "Reģistrēt kontaktu", "Record a contact")                                                 \
  X(kPlannedAt, "Plānotais datums", "Planned date")                                                           \
  X(kHeldOn, "Notika", "Held on")                                                                             \
  X(kConsents, "Piekrišanas", "Consents")                                                                     \
  X(kReferrals, "Nosūtījumi", "Referrals")                                                                    \
  X(kProgramme, "Programma", "Programme")                                                                     \
  X(kSessionsAttended, "Apmeklētas nodarbības", "Sessions attended")                                          \
  X(kVolunteer, "Līdzgaitnieks", "Volunteer")                                                                 \
  X(kSessions, "Sesijas", "Sessions")                                                                         \
  X(kDurationMin, "Ilgums, min", "Duration, min")                                                             \
  X(kSignedOff, "Apstiprināta", "Signed off")                                                                 \
  X(kNotSignedOff, "Gaida apstiprinājumu", "Awaiting sign-off")                                               \
  X(kAddNote, "Pievienot piezīmi", "Add note")                                                                \
  X(kAuthor, "Autors", "Author")                                                                              \
  X(kTime, "Laiks", "Time")                                                                                   \
  X(kUser, "Lietotājs", "User")                                                                               \
  X(kAction, "Darbība", "Action")                                                                             \
  X(kDetail, "Detaļas", "Detail")                                                                             \
  X(kToday, "Šodien", "Today")                                                                                \
  X(kThisWeek, "Šonedēļ", "This week")                                                                        \
  X(kOverdueContacts, "Nokavētie kontakti", "Overdue contacts")                                               \
  X(kNothingHere, "Nav ierakstu.", "Nothing here.")                                                           \
  X(kVolunteerRegister, "Brīvprātīgo reģistrs", "Volunteer register")                                         \
  X(kStage, "Atlases posms", "Selection stage")                                                               \
  X(kKind, "Veids", "Kind")                                                                                   \
  X(kRegisterVolunteer, "Reģistrēt brīvprātīgo", "Register a volunteer")                                      \
  X(kAdvanceStage, "Nākamais posms", "Next stage")                                                            \
  X(kAssignMentor, "Piesaistīt līdzgaitnieku", "Assign a mentor")                                             \
  X(kLogSession, "Reģistrēt sesiju", "Log a session")                                                         \
  X(kSignOff, "Apstiprināt", "Sign off")                                                                      \
  X(kAssignments, "Piesaistes", "Assignments")                                                                \
  X(kEndAssignment, "Beigt piesaisti", "End the assignment")                                                  \
  X(kCoordinatorScope,                                                                                        \
    "Koordinators redz tikai klienta kartīti un līdzgaitnieka darbu, ne lietas saturu.",                      \
    "The coordinator sees only the client card and the mentoring work, never the case content.")              \
  X(kCaseloadPerOfficer, "Lietu skaits pa darbiniekiem", "Open cases per officer")                            \
  X(kRiskMix, "Riska sadalījums", "Risk mix")                                                                 \
  X(kProgrammeCompletion, "Programmu pabeigšana", "Programme completion")                                     \
  X(kEmploymentIndicator, "Legāli nodarbināto klientu īpatsvars",                                             \
    "Share of clients in legal employment")                                                                   \
  X(kOpenCases, "Atvērtās lietas", "Open cases")                                                              \
  X(kOpenedPerMonth, "Atvērtās lietas pēc atvēršanas mēneša", "Open cases by month opened")                   \
  X(kSearchNameHint, "Meklēt pēc vārda vai uzvārda", "Search by name or surname")                             \
  X(kChooseVolunteer, "Izvēlieties sertificētu līdzgaitnieku", "Choose a certified mentor")                   \
  X(kShowCases, "Rādīt lietas", "Show cases")                                                                 \
  X(kOnline, "Tiešsaistē", "Online")                                                                          \
  X(kOffline, "Bezsaistē", "Offline")                                                                         \
  X(kPendingChanges, "Nesinhronizētas izmaiņas", "Changes not yet synchronised")                              \
  X(kLastSync, "Pēdējā sinhronizācija", "Last synchronisation")                                               \
  X(kNever, "nekad", "never")                                                                                 \
  X(kSyncNow, "Sinhronizēt tagad", "Synchronise now")                                                         \
  X(kIndicatorCases, "Rādītāja lietas", "Cases behind the figure")                                            \
  X(kShowAllCases, "Rādīt visas lietas", "Show all cases")                                                    \
  X(kConflicts, "Konflikti", "Conflicts")                                                                     \
  X(kNoConflicts, "Konfliktu nav.", "No conflicts.")                                                          \
  X(kSyncUnavailable,                                                                                         \
    "Sinhronizācijas modulis šajā būvējumā vēl nav pieejams; izmaiņas glabājas šajā datorā un "   \
    "tiks nosūtītas vēlāk.",                                                                                  \
    "Synchronisation is not available in this build yet; changes are kept on this computer and "              \
    "will be sent later.")                                                                                    \
  X(kMeetings, "Sanāksmes", "Meetings")                                                                       \
  X(kParticipants, "Dalībnieki", "Participants")                                                              \
  X(kRiskDecisions, "Riska pārvaldības lēmumi", "Risk-management decisions")                                  \
  X(kVictimDecisions, "Cietušo aizsardzības lēmumi", "Victim-protection decisions")                           \
  X(kActions, "Uzdevumi", "Actions")                                                                          \
  X(kDisclosures, "Izpaustā informācija", "Disclosures")                                                      \
  X(kDisclosureLog, "Izpaušanas žurnāls (iestāžu paketes)", "Disclosure log (agency packs)")                  \
  X(kDisclosureLogEmpty, "Neviena pakete vēl nav sagatavota.", "No pack has been generated yet.")             \
  /* MAPPA minutes forms (ui/form_mappa.cpp): record, amend, sign */                                          \
  X(kRecordMeeting, "Reģistrēt sanāksmi", "Record a meeting")                                                 \
  X(kAmendMeeting, "Papildināt protokolu", "Amend the minutes")                                               \
  X(kSignMinutes, "Parakstīt protokolu", "Sign the minutes")                                                  \
  X(kSignMinutesConfirm, "Parakstīt", "Sign")                                                                 \
  X(kSignMinutesNote,                                                                                         \
    "Parakstītu protokolu vairs nevar papildināt: to var tikai labot ar pamatojumu.",                         \
    "Signed minutes can no longer be amended, only corrected with a reason.")                                 \
  X(kMeetingDate, "Sanāksmes datums", "Meeting date")                                                         \
  X(kMeetingCases, "Apspriestās lietas", "Cases discussed")                                                   \
  X(kMeetingCaseSearch, "Meklēt lietu: vārds, uzvārds vai personas kods",                                     \
    "Find a case: name, surname or personal code")                                                            \
  X(kMeetingNoCases, "Neviena lieta nav izvēlēta.", "No case chosen.")                                        \
  X(kMeetingNoMatch, "Nav atbilstošu lietu.", "No matching case.")                                            \
  X(kMeetingInstitution, "Iestāde", "Institution")                                                            \
  X(kParticipantNameRole, "Vārds, uzvārds, amats", "Name, surname, role")                                     \
  X(kAddParticipant, "Pievienot dalībnieku", "Add a participant")                                             \
  X(kAddAction, "Pievienot uzdevumu", "Add an action")                                                        \
  X(kAddDisclosure, "Pievienot izpaušanu", "Add a disclosure")                                                \
  X(kActionOwner, "Atbildīgā iestāde", "Owner")                                                               \
  X(kDueOn, "Izpildes termiņš", "Due on")                                                                     \
  X(kDisclosureWhat, "Kas izpausts", "What was disclosed")                                                    \
  X(kDisclosureToWhom, "Kam (persona, amats)", "To whom (person, role)")                                      \
  X(kLegalBasis, "Tiesiskais pamats", "Legal basis")                                                          \
  X(kSaveMeeting, "Saglabāt sanāksmi", "Save the meeting")                                                    \
  X(kSaveAmendment, "Saglabāt papildinājumu", "Save the amendment")                                           \
  X(kAmendIntro,                                                                                              \
    "Melnrakstam pievieno dalībniekus, uzdevumus un izpaušanas; mainīts lēmumu teksts aizstāj "          \
    "iepriekšējo, tukšs to atstāj.",                                                                          \
    "Participants, actions and disclosures are added to the draft; a changed decision text "                  \
    "replaces the recorded one, an empty one keeps it.")                                                      \
  /* end of the MAPPA minutes forms */                                                                        \
  X(kBusy, "Strādā…", "Working…")                                                                             \
  X(kCloseTab, "Aizvērt cilni", "Close tab")                                                                  \
  X(kCloseCase, "Slēgt lietu…", "Close case…")                                                                \
  X(kCloseCaseTitle, "Lietas slēgšana", "Closing the case")                                                   \
  X(kCloseCaseIntro, "Slēgtā lietā vairs nevar ierakstīt; labojumus pievieno atsevišķi.",                     \
    "A closed case takes no more entries; corrections are appended.")                                         \
  X(kClosureReason, "Slēgšanas iemesls", "Reason for closure")                                                \
  X(kEmploymentAtClosure, "Nodarbinātība slēgšanas brīdī", "Employment at closure")                           \
  X(kEmploymentAtOpening, "Nodarbinātība uzsākot", "Employment at opening")                                   \
  X(kSaveCloseCase, "Slēgt lietu", "Close the case")                                                          \
  X(kSectionOutcome, "Iznākums", "Outcome")                                                                   \
  X(kTags, "Pazīmes", "Tags")                                                                                 \
  X(kApplicationKind, "Iesnieguma veids", "Kind of application")                                              \
  X(kCourtDecisionOn, "Tiesas lēmums", "Court decision")                                                      \
  X(kRelation, "Saistība", "Relation")                                                                        \
  X(kRequester, "Pieprasītājs", "Requester")                                                                  \
  X(kMarkDone, "Atzīmēt izpildītu", "Mark done")                                                              \
  X(kDone, "Izpildīts", "Done")                                                                               \
  X(kDoneOn, "Izpildes datums", "Done on")                                                                    \
  X(kNoReasonWithoutSection,                                                                                  \
    "Lietai nav atvērtas uzraudzības sekcijas; iemesls tiek norādīts, slēdzot sekciju.",                      \
    "The case has no open supervision section; the reason is given when a section closes.")                   \
  X(kAssessedOn, "novērtēts", "assessed")                                                                     \
  X(kContactDueBy, "jāsatiekas līdz", "due by")                                                               \
  X(kPlannedShort, "plānots", "planned")                                                                      \
  X(kNoneScheduled, "nav plānots", "none planned")                                                            \
  X(kNoOpenSection, "nav atvērtas uzraudzības sekcijas", "no open supervision section")                       \
  X(kMentor, "Līdzgaitnieks", "Mentor")                                                                       \
  X(kOpenMappaActions, "Sanāksmju uzdevumi", "Meeting actions")                                               \
  X(kUnsignedDrafts, "Neparakstīti melnraksti", "Unsigned drafts")                                            \
  X(kOpenCount, "atvērti", "open")                                                                            \
  X(kNearestDue, "tuvākais", "next")                                                                          \
  X(kAssessmentsShort, "novērtējumi", "assessments")                                                          \
  X(kMinutesShort, "protokoli", "minutes")                                                                    \
  X(kReportsShort, "ziņojumi", "reports")                                                                     \
  X(kExport, "Eksportēt…", "Export…")                                                                         \
  X(kCaseSummaryPdf, "Lietas kopsavilkums (PDF)", "Case summary (PDF)")                                       \
  X(kSubjectAccess, "Datu subjekta pieprasījums…", "Subject access request…")                                 \
  X(kSubjectAccessNote,                                                                                       \
    "Visi dati par šo personu visās tās lietās, PDF un JSON failā mapē. Neizsniegtā informācija "     \
    "ir uzskaitīta ar pamatojumu, bez satura.",                                                               \
    "All data held about this person in all their cases, as a PDF and a JSON file in a folder. "              \
    "What is withheld is listed with its ground, without its content.")                                       \
  X(kPdfButton, "PDF", "PDF")                                                                                 \
  X(kEvaluationReportPdf, "Izvērtēšanas ziņojums (PDF)", "Evaluation report (PDF)")                           \
  X(kCourtApplicationPdf, "Pieteikums tiesai (PDF)", "Application to court (PDF)")                            \
  X(kMappaMinutesPdf, "Protokols (PDF)", "Minutes (PDF)")                                                     \
  X(kMappaPack, "Pakete iestādei…", "Pack for an institution…")                                               \
  X(kMappaPackNote,                                                                                           \
    "Tikai šīs iestādes uzdevumi un tai adresētās izpaušanas; katra izpaušana tiek reģistrēta "      \
    "izpaušanu žurnālā.",                                                                                     \
    "Only this institution's actions and the disclosures addressed to it; each disclosure is "                \
    "logged in the disclosure log.")                                                                          \
  X(kRecipientInstitution, "Iestāde", "Institution")                                                          \
  X(kMappaPackDone, "Saglabāts: %s (lapu skaits: %lld, izpaušanas: %lld).",                                   \
    "Saved: %s (%lld pages, %lld disclosures).")                                                              \
  X(kOutputFolder, "Mape", "Folder")                                                                          \
  X(kSubjectAccessDone, "Saglabāts mapē %s (lietu skaits: %lld).", "Saved in %s (%lld cases).")               \
  X(kExportCaseloadTitle, "Eksportēt klientu lietas", "Export the caseload")                                  \
  X(kExportAgendaTitle, "Eksportēt darba kārtību", "Export the agenda")                                       \
  X(kExportIndicatorsTitle, "Eksportēt %d. gada rādītājus", "Export the indicators of %d")                    \
  X(kExportCaseloadNote, "Rindu skaits: %zu (ar pašreizējiem filtriem un kārtojumu).",                        \
    "Rows: %zu (with the current filters and sort order).")                                                   \
  X(kExportAgendaNote, "Ierakstu skaits: %zu (nokavētie, šodien un nākamās 7 dienas).",                       \
    "Items: %zu (overdue, today and the next 7 days).")                                                       \
  X(kExportAuditNote,                                                                                         \
    "Eksports tiek reģistrēts audita žurnālā. Fails nav šifrēts: tas būs lasāms tikai jūsu "        \
    "lietotājam šajā datorā, bet glabājiet to tikai šifrētā diskā un izdzēsiet, kad tas vairs "     \
    "nav "                                                                                                    \
    "vajadzīgs.",                                                                                             \
    "The export is recorded in the audit log. The file is not encrypted: only your user on this "             \
    "computer can read it, but keep it on an encrypted disk only and delete it once it is no "                \
    "longer "                                                                                                 \
    "needed.")                                                                                                \
  X(kFormat, "Formāts", "Format")                                                                             \
  X(kCsvDelimiter, "CSV atdalītājs", "CSV delimiter")                                                         \
  X(kDelimiterSemicolon, "semikols ;", "semicolon ;")                                                         \
  X(kDelimiterComma, "komats ,", "comma ,")                                                                   \
  X(kOutputFile, "Fails", "File")                                                                             \
  X(kExporting, "Eksportē…", "Exporting…")                                                                    \
  X(kExportDoneRows, "Saglabāts: %s (rindu skaits: %lld).", "Saved: %s (%lld rows).")                         \
  X(kExportDonePages, "Saglabāts: %s (lapu skaits: %lld).", "Saved: %s (%lld pages).")                        \
  X(kExportCannotWrite,                                                                                       \
    "Failu nevar ierakstīt: %s. Pārbaudiet, vai mape ir pieejama un tajā drīkst rakstīt.",                    \
    "The file cannot be written: %s. Check that the folder is there and may be written to.")                  \
  X(kExportFailed, "Eksports neizdevās: %s", "The export failed: %s")                                         \
  X(kSaved, "Saglabāts", "Saved")                                                                             \
  X(kErrorPrefix, "Neizdevās", "Failed")                                                                      \
  X(kNotPermitted, "Jums nav tiesību to darīt.", "You are not permitted to do that.")                         \
  X(kBusyDb, "Datubāze ir aizņemta; mēģiniet vēlreiz.", "The database is busy; try again.")                   \
  X(kNotFound, "Ieraksts šajā ierīcē nav atrodams.", "The record is not on this device.")                     \
  X(kOpenCaseFile, "Atvērt lietu", "Open case file")                                                          \
  X(kCorrections, "Labojumi", "Corrections")                                                                  \
  X(kViolations, "Pārkāpumi", "Violations")                                                                   \
  X(kCourtApplications, "Iesniegumi tiesai", "Applications to court")                                         \
  X(kEmployment, "Nodarbinātība", "Employment")                                                               \
  X(kUnit, "Struktūrvienība", "Unit")                                                                         \
  X(kReassign, "Nodot lietu", "Reassign")                                                                     \
  X(kReassignTo, "Nodot darbiniekam", "Reassign to")                                                          \
  X(kCasesInView, "Skatītās lietas", "Case files in view")                                                    \
  X(kInstrumentVersion, "Versija", "Version")                                                                 \
  X(kRecordOutcome, "Atzīmēt", "Mark")                                                                        \
  X(kContactOutcomeTitle, "Kontakta iznākums", "Contact outcome")                                             \
  X(kOutcomeEllipsis, "Iznākums…", "Outcome…")                                                                \
  X(kMissedAwaiting, "Jāpieņem lēmums par neierašanos", "Missed contacts awaiting a decision")                \
  X(kMissedAwaitingIntro,                                                                                     \
    "Katrai neierašanās reizei: brīdinājums (skaitās atvērtajā uzraudzības sekcijā) vai "            \
    "attaisnots kavējums ar pamatojumu.",                                                                     \
    "Each missed contact takes one decision: a warning (counted in the open supervision section) "            \
    "or a justified absence with its reason.")                                                                \
  X(kDecideEllipsis, "Pieņemt lēmumu…", "Decide…")                                                            \
  X(kDecision, "Lēmums", "Decision")                                                                          \
  X(kDecidedOn, "Lēmuma datums", "Decided on")                                                                \
  X(kReason, "Pamatojums", "Reason")                                                                          \
  X(kDescription, "Apraksts", "Description")                                                                  \
  X(kWarnings, "Brīdinājumi", "Warnings")                                                                     \
  X(kCountOf, "%lld no %lld", "%lld of %lld")                                                                 \
  X(kApplicationProposed, "ierosināts iesniegums tiesai", "application to court proposed")                    \
  X(kProposalText,                                                                                            \
    "Brīdinājumi sekcijā sasniedz slieksni (%lld no %lld): ierosināts iesniegums tiesai.",                    \
    "The warnings in the section reach the threshold (%lld of %lld): an application to court is "             \
    "proposed.")                                                                                              \
  X(kPrepareApplication, "Sagatavot iesniegumu tiesai", "Prepare the application to court")                   \
  X(kNewApplication, "Jauns iesniegums tiesai", "New application to court")                                   \
  X(kFiledOn, "Iesniegšanas datums", "Filed on")                                                              \
  X(kRestsOnWarnings, "Pamatā brīdinājumi: %d", "Rests on warnings: %d")                                      \
  X(kRecordViolation, "Reģistrēt pārkāpumu", "Record a violation")                                            \
  X(kSaveViolation, "Saglabāt pārkāpumu", "Save the violation")                                               \
  X(kFileApplication, "Iesniegt", "File")                                                                     \
  X(kNoDecisionYet, "lēmums nav pieņemts", "no decision yet")                                                 \
  X(kAmendSection, "Grozīt pienākumus", "Amend obligations")                                                  \
  X(kCloseSection, "Slēgt sekciju", "Close the section")                                                      \
  X(kCloseSectionIntro, "Sekcija tiek slēgta atsevišķi no lietas: lieta paliek atvērta.",                     \
    "The section closes on its own: the case stays open.")                                                    \
  X(kDisabilityGroup, "Invaliditāte", "Disability")                                                           \
  X(kNoEmploymentTaxes, "Uzsākot nav darba ienākumu (VSAOI)", "No employment taxes at opening")               \
  X(kAgendaIntro, "Termiņi jūsu lietās: nokavētie, šodienas un nākamo septiņu dienu.",                        \
    "Due dates in your cases: overdue, today and the next seven days.")                                       \
  X(kAgendaOverdue, "Nokavēts", "Overdue")                                                                    \
  X(kNextSevenDays, "Šonedēļ (7 dienas)", "This week (7 days)")                                               \
  X(kSeveralCases, "vairākas lietas", "several cases")                                                        \
  X(kYear, "Gads", "Year")                                                                                    \
  X(kReportingYear, "Pārskata gads", "Reporting year")                                                        \
  X(kEsfClients, "ESF+ atbalstītie unikālie klienti", "ESF+ unique clients supported")                        \
  X(kEsfMeasure, "4.3.4.6. pasākums: personas ar notikušu kontaktu vai programmas nodarbību gadā",            \
    "Measure 4.3.4.6: people with a held contact or an attended programme session in the year")               \
  X(kCompletionRule, "Gadā beigušies nosūtījumi: pabeigti / (pabeigti + pārtraukti)",                         \
    "Referrals ended in the year: completed / (completed + dropped out)")                                     \
  X(kS1, "S1 — gadā slēgtas uzraudzības sekcijas, atverot bez darba ienākumiem, 20–64 g.",                    \
    "S1 — sections closed in the year, no employment taxes at opening, aged 20–64")                           \
  X(kS2, "S2 — no tiem nodarbināti slēgšanas brīdī", "S2 — of those, employed at closure")                    \
  X(kLeftOut, "Neieskaitīti", "Left out")                                                                     \
  X(kExclAge, "vecums ārpus 20–64", "aged outside 20–64")                                                     \
  X(kExclAgeUnknown, "vecums nav zināms", "age unknown")                                                      \
  X(kExclDisability, "I grupas invaliditāte", "group I disability")                                           \
  X(kExclRelease, "nosacīti atbrīvoti no kriminālatbildības",                                                 \
    "conditionally released from criminal liability")                                                         \
  X(kEmploymentTarget, "Mērķis: 12% (2022) → 17% (2027)", "Target: 12% (2022) → 17% (2027)")                  \
  X(kNoDataForYear, "Šajā gadā nav datu.", "No data for this year.")                                          \
  X(kLocalOnly, "Tikai šajā datorā", "This computer only")                                                    \
  X(kSyncing, "Sinhronizē…", "Synchronising…")                                                                \
  X(kJustNow, "tikko", "just now")                                                                            \
  X(kMinutesAgo, "pirms %lld min", "%lld min ago")                                                            \
  X(kHoursAgo, "pirms %lld h", "%lld h ago")                                                                  \
  X(kLastAttempt, "Pēdējais mēģinājums", "Last attempt")                                                      \
  X(kDevice, "Ierīce", "Device")                                                                              \
  X(kDeviceName, "Ierīces nosaukums", "Device name")                                                          \
  X(kDefaultDeviceName, "Darba dators", "Work computer")                                                      \
  X(kNotEnrolledSync,                                                                                         \
    "Šī krātuve nav reģistrēta centrālajā serverī: izmaiņas glabājas tikai šajā datorā.",                     \
    "This store is not enrolled with the central server: changes are kept on this computer only.")            \
  X(kScopes, "Datu apgabali", "Data scopes")                                                                  \
  X(kScope, "Apgabals", "Scope")                                                                              \
  X(kKeyVersion, "Atslēgas versija", "Key version")                                                           \
  X(kRegistered, "Zināms serverim", "Known to the server")                                                    \
  X(kYes, "jā", "yes")                                                                                        \
  X(kNo, "nē", "no")                                                                                          \
  X(kAllWell, "kārtībā", "all well")                                                                          \
  X(kScopeLabelColumn, "Lieta vai apgabals", "Case or scope")                                                 \
  X(kScopeSaved, "Saglabāts serverī", "Saved on the server")                                                  \
  X(kScopeWaitingOne, "%lld izmaiņa gaida sinhronizāciju",                                                    \
    "%lld change waiting to be synchronised")                                                                 \
  X(kScopeWaitingMany, "%lld izmaiņas gaida sinhronizāciju",                                                  \
    "%lld changes waiting to be synchronised")                                                                \
  X(kScopeNotOnServer, "Nav vēl serverī", "Not on the server yet")                                            \
  X(kScopeMentoring, "līdzgaitnieku atbalsts", "peer mentoring")                                              \
  X(kScopeCovered, "%s — aizvietošana (atbildīgais: %s)", "%s — cover (responsible: %s)")                     \
  X(kScopeUnit, "Struktūrvienība: %s", "Unit: %s")                                                            \
  X(kScopeVolunteers, "Līdzgaitnieki: %s", "Volunteers: %s")                                                  \
  X(kScopeOrganisation, "Organizācija: struktūrvienības, lietotāji, programmas",                              \
    "Organisation: units, users, programmes")                                                                 \
  X(kScopeNoName, "Jums šī apgabala saturs šajā ierīcē nav pieejams",                                         \
    "This scope's content is not open to you on this device")                                                 \
  X(kScopeSearchHint, "Meklēt: klienta vārds, uzvārds vai apgabals",                                          \
    "Search: client's name, surname or scope")                                                                \
  X(kNoScopesMatch, "Neviens datu apgabals neatbilst meklētajam",                                             \
    "No data scope matches the search")                                                                       \
  X(kScopeId, "Apgabala identifikators", "Scope id")                                                          \
  X(kMine, "Mana vērtība", "Mine")                                                                            \
  X(kTheirs, "Otra vērtība", "Theirs")                                                                        \
  X(kKeepMine, "Paturēt manu", "Keep mine")                                                                   \
  X(kTakeTheirs, "Ņemt otru", "Take theirs")                                                                  \
  X(kThisDevice, "šī ierīce", "this device")                                                                  \
  X(kConflictUnknownWriter, "lietotājs, kuru šī ierīce nepazīst",                                             \
    "a user this device does not know")                                                                       \
  X(kEmptyValue, "(tukšs)", "(empty)")                                                                        \
  X(kBinaryValue, "(binārie dati)", "(binary data)")                                                          \
  X(kConflictResolved, "Konflikts atrisināts", "Conflict resolved")                                           \
  X(kConflictIntro,                                                                                           \
    "Divas ierīces vienlaikus mainīja vienu lauku. Tagad redzama jaunākā vērtība; izvēlieties, "       \
    "kuru paturēt.",                                                                                          \
    "Two devices changed one field at the same time. The newer value is shown now; choose which "             \
    "one to keep.")                                                                                           \
  X(kErrNetwork,                                                                                              \
    "Serveris nav sasniedzams. Izmaiņas paliek šajā datorā un tiks nosūtītas, kad savienojums "         \
    "atjaunosies.",                                                                                           \
    "The server cannot be reached. Changes stay on this computer and will be sent when the "                  \
    "connection is back.")                                                                                    \
  X(kErrProtocol, "Servera atbilde nebija derīga; nekas no tās netika pieņemts.",                             \
    "The server's answer was not valid; nothing of it was applied.")                                          \
  X(kErrRefused, "Serveris atteica: ierīce ir atsaukta vai kods vairs nav derīgs.",                           \
    "The server refused: the device was revoked or the code is no longer valid.")                             \
  X(kErrCertificate, "Servera sertifikāts neatbilst reģistrācijas kodā norādītajam.",                         \
    "The server's certificate does not match the one named in the enrolment code.")                           \
  X(kCodeInvalid, "Reģistrācijas kods nav derīgs: pārbaudiet, vai tas nokopēts pilnībā.",                     \
    "The enrolment code is not valid: check that it was copied completely.")                                  \
  X(kFirstSyncFailed, "Ierīce reģistrēta, bet pirmā sinhronizācija neizdevās; tā tiks atkārtota.",            \
    "The device is enrolled but the first synchronisation failed; it will be retried.")                       \
  X(kPhaseSession, "Pieteikšanās serverī", "Signing in to the server")                                        \
  X(kPhaseDirectory, "Lietotāju katalogs", "User directory")                                                  \
  X(kPhaseScopes, "Datu apgabali", "Data scopes")                                                             \
  X(kPhaseKeys, "Šifrēšanas atslēgas", "Encryption keys")                                                     \
  X(kPhasePush, "Sūta izmaiņas", "Sending changes")                                                           \
  X(kPhasePull, "Saņem izmaiņas", "Receiving changes")                                                        \
  X(kPhaseDone, "Pabeigts", "Done")                                                                           \
  X(kDeliveryHeading, "Ko centrālā krātuve nav piegādājusi",                                                  \
    "What the central store has not delivered")                                                               \
  X(kDeliveryGap, "Nepiegādāti sūtījumi: %lld no ierīces %s apgabalā %s (Nr. %s).",                           \
    "Pushes not delivered: %lld from device %s in %s (no. %s).")                                              \
  X(kDeliveryWaiting, "Vēl gaida atslēgu un var būt starp tiem: %lld.",                                       \
    "Still waiting for a key here, and may be among them: %lld.")                                             \
  X(kDeliveryReused, "Ierīce %s apgabalā %s diviem dažādiem sūtījumiem devusi vienu numuru %lld.",            \
    "Device %s gave two different pushes in %s the same number %lld.")                                        \
  X(kDeliveryNote, "Pārējā sinhronizācija turpinās. Ziņojiet par to sistēmas administratoram.",               \
    "The rest of the synchronisation goes on. Report this to the system administrator.")                      \
  X(kRefusedHeading, "Atteikts (karantīnā): %lld", "Refused (quarantined): %lld")                             \
  X(kPurgedHeading, "Izdzēsts no šīs ierīces: %lld", "Removed from this device: %lld")                        \
  X(kPurgedCase, "lieta %s", "case %s")                                                                       \
  X(kPurgeNoLongerRead,                                                                                       \
    "jums tā vairs nav pieejama (nodota citam inspektoram vai struktūrvienībai)",                             \
    "no longer yours to read (reassigned or transferred)")                                                    \
  X(kPurgeRetention, "beidzies slēgtas lietas glabāšanas termiņš",                                            \
    "a closed case's retention period ended")                                                                 \
  X(kPurgeOther, "jums tā vairs nav pieejama", "no longer yours to read")                                     \
  X(kPurgedCounts,                                                                                            \
    "Izdzēsti ieraksti: %lld; nenosūtītas izmaiņas: %lld. Centrālajā krātuvē tie paliek.",                    \
    "Records removed: %lld; unsent changes: %lld. The central store keeps them.")                             \
  X(kRefusalForged, "paraksts vai saturs neatbilst: viltots vai pa ceļam mainīts",                            \
    "the signature or the content does not verify: forged or altered on the way")                             \
  X(kRefusalNotPermitted, "tā rakstītājam šeit nav tiesību rakstīt",                                          \
    "its writer may not write here")                                                                          \
  X(kRefusalMalformed, "nav nolasāms vai neatbilst lietas ierakstu uzbūvei",                                  \
    "it cannot be read or does not fit the case's records")                                                   \
  X(kRefusalUnlisted, "no ierīces, ko organizācijas parakstītais katalogs neapliecina",                       \
    "from a device the organisation's signed directory does not certify")                                     \
  X(kRefusalNotReader, "atslēga no lietotāja, kuram nav tiesību lasīt šo lietu",                              \
    "a key from a user who may not read this case")                                                           \
  X(kRefusalScope, "centrālās krātuves ziņas par šo apgabalu neatbilst katalogam",                            \
    "what the central store says of this scope does not match the directory")                                 \
  X(kRefusalRevoked, "saglabāts centrālajā krātuvē pēc ierīces atsaukšanas",                                  \
    "stored on the central store after the device was revoked")                                               \
  X(kRefusalOther, "netika pieņemts (sīkāk: norādiet ar peli)",                                               \
    "not accepted (point at it for details)")                                                                 \
  X(kHoursRemaining, "atlikušas %s", "%s remaining")                                                          \
  X(kHoursBehind, "%s no %s", "%s of %s")                                                                     \
  X(kAgendaLastAssessed, "pēdējais parakstītais novērtējums %s", "last signed assessment %s")                 \
  X(kAgendaFiledOn, "iesniegts %s", "filed %s")                                                               \
  X(kAgendaDraftedOn, "sagatavots %s", "drafted %s")                                                          \
  X(kAgendaIntroCoordinator,                                                                                  \
    "Sesijas klientu kartītēs, kas gaida jūsu apstiprinājumu; vecākās vispirms.",                             \
    "Sessions on the client cards waiting for your sign-off; oldest first.")                                  \
  X(kSessionDraftUnsaved, "nesaglabāta sesija", "unsaved session")                                            \
  X(kSessionAwaitsYourSignOff, "Gaida jūsu apstiprinājumu", "Waiting for your sign-off")                      \
  X(kAgendaSignoffDetail, "brīvprātīgais %s · gaida %lld d.", "volunteer %s · waiting %lld days")             \
  X(kRecordConsent, "Reģistrēt piekrišanu", "Record consent")                                                 \
  X(kConsentGivenOn, "Lēmuma datums", "Decided on")                                                           \
  X(kReferToProgramme, "Nosūtīt uz programmu", "Refer to a programme")                                        \
  X(kSaveReferral, "Nosūtīt", "Refer")                                                                        \
  X(kChooseProgramme, "Izvēlieties programmu", "Choose a programme")                                          \
  X(kChooseNeed, "Izvēlieties vajadzību", "Choose a need")                                                    \
  X(kNeed, "Vajadzība", "Need")                                                                               \
  X(kRiskFromAssessment, "pēc pēdējā novērtējuma", "from the latest assessment")                              \
  X(kReferredOn, "Nosūtīšanas datums", "Referred on")                                                         \
  X(kEnrolInProgramme, "Uzsākt", "Enrol")                                                                     \
  X(kEnrolledOn, "Uzsākšanas datums", "Enrolled on")                                                          \
  X(kRecordAttendance, "Nodarbība", "Session")                                                                \
  X(kSessionOn, "Nodarbības datums", "Session date")                                                          \
  X(kAttended, "Apmeklēja", "Attended")                                                                       \
  X(kEndReferral, "Beigt", "End")                                                                             \
  X(kEndedOn, "Beigu datums", "Ended on")                                                                     \
  X(kReferralEnd, "Iznākums", "Outcome")                                                                      \
  X(kAttendanceTitle, "Nodarbības apmeklējums", "Session attendance")                                         \
  X(kEnrolmentTitle, "Programmas uzsākšana", "Enrolment in the programme")                                    \
  X(kEndReferralTitle, "Nosūtījuma beigas", "End of the referral")                                            \
  X(kAttendanceList, "Nodarbības", "Sessions")                                                                \
  X(kMissedSession, "neapmeklēja", "did not attend")                                                          \
  X(kMentoringReferral, "Nosūtījums pie līdzgaitnieka", "Referral to peer mentoring")                         \
  X(kReferToMentoring, "Nosūtīt pie līdzgaitnieka", "Refer to peer mentoring")                                \
  X(kEndMentoringReferral, "Beigt nosūtījumu pie līdzgaitnieka",                                              \
    "End the peer mentoring referral")                                                                        \
  X(kConsentOn, "Klienta piekrišana", "Client's consent on")                                                  \
  X(kMentoringConsentNote,                                                                                    \
    "Klienta karte līdzgaitnieku koordinatoram parādās tikai pēc nosūtījuma ar klienta "                \
    "piekrišanu.",                                                                                            \
    "The client's card reaches the volunteer coordinators only with this referral, made with the "            \
    "client's consent.")                                                                                      \
  X(kNotReferredToMentoring, "Nav nosūtīts", "Not referred")                                                  \
  X(kRecordCourtDecision, "Ierakstīt tiesas lēmumu", "Record the court's decision")                           \
  X(kSaveCourtDecision, "Saglabāt lēmumu", "Save the decision")                                               \
  X(kCourtDecisionText, "Tiesas lēmums (saturs)", "The court's decision")                                     \
  X(kAmendAssessment, "Grozīt novērtējuma melnrakstu", "Amend the draft assessment")                          \
  X(kSupersedeAssessment, "Jauns novērtējums parakstītā vietā no",                                            \
    "New assessment replacing the signed one of")                                                             \
  X(kAmend, "Grozīt", "Amend")                                                                                \
  X(kSupersede, "Aizstāt", "Replace")                                                                         \
  X(kSupersededBy, "aizstāts ar", "replaced by the one of")                                                   \
  X(kSupersedes, "aizstāj", "replaces the one of")                                                            \
  X(kWholeNumber, "jānorāda vesels skaitlis", "must be a whole number")                                       \
  X(kCreatePlan, "Izveidot plānu", "Create the plan")                                                         \
  X(kNewPlanVersion, "Jauna plāna versija", "New plan version")                                               \
  X(kReviewOn, "Pārskatīt", "Review on")                                                                      \
  X(kAddGoal, "Pievienot mērķi", "Add a goal")                                                                \
  X(kRemove, "Noņemt", "Remove")                                                                              \
  X(kCorrectRecord, "Labot ierakstu", "Correct a record")                                                     \
  X(kCorrect, "Labot", "Correct")                                                                             \
  X(kCorrectionIntro,                                                                                         \
    "Ierakstītais netiek mainīts: labojums tiek pievienots ar pamatojumu, un abi paliek redzami.",            \
    "What was recorded is not changed: the correction is added with its reason and both stay "                \
    "visible.")                                                                                               \
  X(kField, "Lauks", "Field")                                                                                 \
  X(kOriginal, "Sākotnēji", "Original")                                                                       \
  X(kCorrectedValue, "Labotā vērtība", "Corrected value")                                                     \
  X(kSaveCorrection, "Saglabāt labojumu", "Save the correction")                                              \
  X(kRecord, "Ieraksts", "Record")                                                                            \
  X(kCorrectedBy, "Labojis", "Corrected by")                                                                  \
  X(kCorrectMinutes, "Labot protokolu", "Correct the minutes")                                                \
  X(kCorrectReport, "Labot ziņojumu", "Correct the report")                                                   \
  X(kEvaluationReportRecord, "Izvērtēšanas ziņojums", "Evaluation report")                                    \
  X(kMentoringSessionRecord, "Līdzgaitnieka tikšanās", "Mentoring session")                                   \
  X(kSessionCorrections, "Apstiprināto tikšanos labojumi", "Corrections of signed-off sessions")              \
  X(kMinutesRowCorrections, "Parakstītā protokola labojumi", "Corrections of the signed minutes")             \
  X(kMappaParticipantRecord, "Dalībnieks", "Participant")                                                     \
  X(kMappaActionRecord, "Uzdevums", "Action")                                                                 \
  X(kMappaDisclosureRecord, "Izpaušana", "Disclosure")                                                        \
  X(kAssignmentCorrections, "Līdzgaitnieku piesaistes labojumi",                                              \
    "Corrections of mentor assignments")                                                                      \
  X(kMentorAssignmentRecord, "Līdzgaitnieka piesaiste", "Mentor assignment")                                  \
  X(kStartedOn, "Sākuma datums", "Started on")                                                                \
  X(kNoteCorrections, "Piezīmju labojumi", "Corrections of notes")                                            \
  X(kNoteRecord, "Piezīme", "Note")                                                                           \
  X(kAttendanceCorrections, "Apmeklējuma labojumi", "Corrections of attendance")                              \
  X(kAttendanceRecord, "Nodarbība", "Session")                                                                \
  X(kUnsavedTabTitle, "Nesaglabātas izmaiņas", "Unsaved changes")                                             \
  X(kUnsavedTabText, "Šīs lietas formās ir nesaglabāts teksts. Aizverot cilni, tas tiks zaudēts.",            \
    "The forms of this case hold unsaved text. Closing the tab discards it.")                                 \
  X(kCloseTabDiscard, "Aizvērt un zaudēt tekstu", "Close and discard the text")                               \
  X(kKeepEditing, "Turpināt rakstīt", "Keep editing")                                                         \
  X(kEvalCircumstances, "Persona un tās dzīves apstākļi", "The person and their circumstances")               \
  X(kEvalOffence, "Noziedzīgais nodarījums", "The offence")                                                   \
  X(kEvalRiskNeeds, "Riski un vajadzības", "Risk and needs")                                                  \
  X(kEvalAttitude, "Personas attieksme un motivācija", "Attitude and motivation")                             \
  X(kEvalConclusion, "Secinājums un ieteikums", "Conclusion and recommendation")                              \
  X(kEvalStart, "Sākt ziņojumu", "Start the report")                                                          \
  X(kEvalSaveDraft, "Saglabāt melnrakstu", "Save draft")                                                      \
  X(kEvalSign, "Parakstīt ziņojumu", "Sign the report")                                                       \
  X(kEvalSubmit, "Iesniegt", "Submit")                                                                        \
  X(kEvalWithdraw, "Atsaukt pieprasījumu", "Withdraw the request")                                            \
  X(kEvalWithdrawalReason, "Atsaukšanas iemesls", "Reason for withdrawal")                                    \
  X(kEvalAssessment, "Novērtējums, uz kuru balstās", "Assessment it rests on")                                \
  X(kEvalNoAssessment, "— nav izvēlēts —", "— none chosen —")                                                 \
  X(kEvalWords, "vārdi", "words")                                                                             \
  X(kEvalUnsaved, "Nesaglabātas izmaiņas", "Unsaved changes")                                                 \
  X(kEvalSigned, "Parakstīts", "Signed")                                                                      \
  X(kEvalOverdueBy, "nokavēts par %lld d.", "overdue by %lld days")                                           \
  X(kEvalDueToday, "šodien", "today")                                                                         \
  X(kEvalDaysLeft, "atlikušas %lld d.", "%lld days left")                                                     \
  X(kEvalWithdrawn, "Atsaukts %s: %s", "Withdrawn %s: %s")                                                    \
  X(kEvalSubmitted, "Iesniegts %s", "Submitted %s")                                                           \
  X(kCommunityWork, "Piespiedu darbs", "Community work")                                                      \
  X(kNoCommunityOrder, "Piespiedu darba rīkojums vēl nav reģistrēts.",                                        \
    "No community work order yet.")                                                                           \
  X(kOrderCommunityWork, "Reģistrēt piespiedu darba rīkojumu", "Record the community work order")             \
  X(kOrderedOn, "Rīkojuma datums", "Ordered on")                                                              \
  X(kHoursOrdered, "Piespriestās stundas", "Hours ordered")                                                   \
  X(kHoursDone, "Nostrādāts", "Worked")                                                                       \
  X(kHoursLeft, "Atlikušas", "Remaining")                                                                     \
  X(kAddPlacement, "Pievienot darba vietu", "Add a work placement")                                           \
  X(kEndPlacement, "Beigt darba vietu", "End the placement")                                                  \
  X(kLogHours, "Reģistrēt stundas", "Log hours")                                                              \
  X(kProvider, "Darba devējs", "Provider")                                                                    \
  X(kWorkedOn, "Darba diena", "Day worked")                                                                   \
  X(kHoursShort, "Stundas", "Hours")                                                                          \
  X(kMinutesField, "Minūtes", "Minutes")                                                                      \
  X(kPlacementsWork, "Darba vietas", "Work placements")                                                       \
  X(kHoursLog, "Nostrādātās stundas", "Hours worked")                                                         \
  /* Client details, related persons, another case, EM and centre episodes, evaluation requests,              \
   * unit settings */                                                                                         \
  X(kEditClientDetails, "Labot klienta datus", "Edit the client's details")                                   \
  X(kClientDetailsNote, "Izmaiņas tiek ierakstītas arī šī klienta citās jūsu atvērtajās lietās.",             \
    "The change is also written to this client's other open cases of yours.")                                 \
  X(kAddRelatedPerson, "Pievienot personu", "Add a person")                                                   \
  X(kRelatedKind, "Kas klientam ir (piem., māte)", "Who they are to the client (e.g. mother)")                \
  X(kRemoveRelatedConfirm, "Noņemt %s no lietas? Ieraksts paliek lietas vēsturē.",                            \
    "Remove %s from the case file? The record stays in the case history.")                                    \
  X(kOpenAnotherCase, "Jauna lieta šim klientam…", "Another case for this client…")                           \
  X(kOpenAnotherCaseTitle, "Jauna lieta tam pašam klientam", "Another case for the same client")              \
  X(kOpenAnotherCaseNote, "Klienta dati tiek pārnesti uz jauno lietu; tā atveras jaunā cilnē.",               \
    "The client's details are copied into the new case; it opens in a new tab.")                              \
  X(kStartMonitoring, "Sākt elektronisko uzraudzību", "Start electronic monitoring")                          \
  X(kEndMonitoring, "Beigt uzraudzību", "End the monitoring")                                                 \
  X(kPlaceInCentre, "Ievietot rehabilitācijas centrā", "Place in a rehabilitation centre")                    \
  X(kEndCentrePlacement, "Beigt ievietošanu", "End the placement")                                            \
  X(kCentre, "Centrs", "Centre")                                                                              \
  X(kDailyCost, "Dienas izmaksas, EUR", "Daily cost, EUR")                                                    \
  X(kVpdDailyShare, "VPD daļa dienā", "VPD's daily share")                                                    \
  X(kAmountInEuros, "jānorāda summa eiro, piem., 12,50", "must be an amount in euros, e.g. 12.50")            \
  X(kRecordEvaluationRequest, "Reģistrēt izvērtēšanas pieprasījumu",                                          \
    "Record an evaluation request")                                                                           \
  X(kRequesterName, "Pieprasītāja iestāde", "Requesting body")                                                \
  X(kReference, "Atsauce (lietas numurs)", "Reference (case number)")                                         \
  X(kReceivedOn, "Saņemts", "Received on")                                                                    \
  X(kWithdrawnOn, "Atsaukšanas datums", "Withdrawn on")                                                       \
  X(kUnitSettings, "Struktūrvienības iestatījumi", "Unit settings")                                           \
  X(kContactIntervals, "Kontaktu biežums: dienas līdz nākamajam kontaktam pēc riska līmeņa",                  \
    "Contact intervals: days until the next contact, by risk level")                                          \
  X(kRetentionPeriods, "Slēgtu lietu glabāšana ierīcēs: dienas pēc slēgšanas",                                \
    "Closed cases kept on devices: days after closure")                                                       \
  X(kOtherSettings, "Citi iestatījumi", "Other settings")                                                     \
  X(kWarningsForCourt, "Brīdinājumi līdz iesniegumam tiesai",                                                 \
    "Warnings before a court application")                                                                    \
  X(kMaxHoursPerDay, "Piespiedu darba stundas dienā (augstākais)",                                            \
    "Community work hours a day (most)")                                                                      \
  X(kCardGraceDays, "Klienta kartīte koordinatoram pēc nosūtījuma beigām, dienas",                            \
    "Client card kept for the coordinator after the referral, days")                                          \
  X(kSetting, "Iestatījums", "Setting")                                                                       \
  X(kCurrentValue, "Pašreiz", "Current")                                                                      \
  X(kNewValue, "Jaunā vērtība", "New value")                                                                  \
  X(kDefaultValue, "noklusējums: %lld", "default: %lld")                                                      \
  /* Countersignatures and circles of support (client::Countersign, ReferToMentoring::circle) */              \
  X(kCountersign, "Kontrasignēt", "Countersign")                                                              \
  X(kCountersigned, "Kontrasignējums", "Countersignature")                                                    \
  X(kTabMediation, "Izlīgums", "Mediation")                                                                   \
  X(kMediationParties, "Cietušie (puses)", "Harmed persons (parties)")                                        \
  X(kMediationAddParty, "Pievienot cietušo", "Add a harmed person")                                           \
  X(kContactDetails, "Kontaktinformācija", "Contact details")                                                 \
  X(kConsentToMediate, "Piekrišana izlīgumam", "Consent to mediate")                                          \
  X(kRecordConsentToMediate, "Reģistrēt piekrišanu", "Record consent")                                        \
  X(kNoConsentYet, "piekrišana nav saņemta", "no consent yet")                                                \
  X(kClientConsent, "Klienta piekrišana", "Client's consent")                                                 \
  X(kMediator, "Starpnieks", "Mediator")                                                                      \
  X(kMediatorOfficer, "Lietas vadītājs", "The case officer")                                                  \
  X(kAssignMediator, "Noteikt starpnieku", "Set the mediator")                                                \
  X(kMediationMeetings, "Izlīguma tikšanās", "Mediation meetings")                                            \
  X(kRecordMediationMeeting, "Reģistrēt tikšanos", "Record a meeting")                                        \
  X(kMeetingStatus, "Tikšanās statuss", "Meeting status")                                                     \
  X(kPartiesPresent, "Puses", "Parties")                                                                      \
  X(kClientTookPart, "Klients piedalījās", "The client took part")                                            \
  X(kMarkMeetingHeld, "Notika", "Held")                                                                       \
  X(kCancelMeeting, "Atcelt tikšanos", "Cancel the meeting")                                                  \
  X(kMediationOutcome, "Izlīguma iznākums", "Outcome of the mediation")                                       \
  X(kRecordMediationOutcome, "Reģistrēt iznākumu", "Record the outcome")                                      \
  X(kAgreementTerms, "Vienošanās noteikumi", "Terms of the agreement")                                        \
  X(kAgreementDue, "Izpildes termiņš", "Due for fulfilment")                                                  \
  X(kAgreementFulfilment, "Vienošanās izpilde", "Fulfilment of the agreement")                                \
  X(kRecordFulfilment, "Reģistrēt izpildi", "Record the fulfilment")                                          \
  X(kReportMediation, "Ziņot pieprasītājam", "Report to the requesting authority")                            \
  X(kReportTo, "Adresāts", "Reported to")                                                                     \
  X(kReportedOn, "Ziņots", "Reported on")                                                                     \
  X(kMediationClosesCase, "Ziņojums pieprasītājam noslēdz lietu.",                                            \
    "The report to the requesting authority closes the case.")                                                \
  X(kMediationReportPdf, "Ziņojums (PDF)", "Report (PDF)")                                                    \
  X(kMediationCorrections, "Izlīguma ierakstu labojumi", "Corrections of the mediation's records")            \
  X(kMediationReportTitle, "Ziņojums par izlīguma procesu (PDF)", "Mediation report (PDF)")                   \
  X(kSessionOfVolunteer, "Kura brīvprātīgā sesija", "Whose session")                                          \
  X(kNeedsAddressed, "Plānā ietvertās vajadzības", "Needs addressed by the plan")                             \
  X(kNeedsAddressedHint,                                                                                      \
    "Atvērto lietu pēdējā parakstītajā novērtējumā noteiktās vajadzības, kuras nosauc aktīvā "   \
    "plāna mērķis: %lld no %lld (%lld lietas)",                                                               \
    "Needs identified by the open cases' latest signed assessment that a goal of the active plan "            \
    "names: %lld of %lld (%lld cases)")                                                                       \
  X(kReoffending, "Jauni nodarījumi uzraudzībā", "Reoffending during supervision")                            \
  X(kReoffendingHint,                                                                                         \
    "Personas ar gadā uzraudzībā reģistrētu jaunu nodarījumu: %lld no %lld uzraudzītajām",                    \
    "Persons with a new offence recorded under supervision in the year: %lld of %lld supervised")             \
  X(kNeedsUnaddressedCases, "Lietas ar vajadzību ārpus plāna",                                                \
    "Cases with a need the plan misses")                                                                      \
  X(kSupervisedInYear, "Gadā uzraudzītās personas", "Persons supervised in the year")                         \
  X(kTransferOffer, "Nodot citai struktūrvienībai", "Transfer to another unit")                               \
  X(kTransferOfferTitle, "Lietas nodošana citai struktūrvienībai",                                            \
    "Transferring the case to another unit")                                                                  \
  X(kTransferOfferIntro,                                                                                      \
    "Saņēmējas struktūrvienības vadītājs redzēs lietu un lems, vai to pieņemt.",                              \
    "The receiving unit's supervisor will see the case and decide whether to accept it.")                     \
  X(kTransferUnit, "Struktūrvienība", "Unit")                                                                 \
  X(kTransferReason, "Iemesls", "Reason")                                                                     \
  X(kTransferSend, "Piedāvāt lietu", "Offer the case")                                                        \
  X(kTransferWaitingOut, "Lieta piedāvāta struktūrvienībai %s; gaida tās lēmumu.",                            \
    "The case is offered to %s and awaits its decision.")                                                     \
  X(kTransferWaitingIn, "Struktūrvienība %s piedāvā šo lietu jūsu struktūrvienībai.",                         \
    "%s offers this case to your unit.")                                                                      \
  X(kTransferWithdraw, "Atsaukt piedāvājumu", "Withdraw the offer")                                           \
  X(kTransferNewOfficer, "Atbildīgais darbinieks", "Responsible officer")                                     \
  X(kTransferNote, "Piezīme", "Note")                                                                         \
  X(kTransferAccept, "Pieņemt lietu", "Accept the case")                                                      \
  X(kTransferDeclineReason, "Atteikuma iemesls", "Reason for declining")                                      \
  X(kTransferDecline, "Atteikt", "Decline")                                                                   \
  X(kTransferPast, "Nodošana: %s → %s, %s", "Transfer: %s → %s, %s")                                          \
  X(kBreakGlassTitle, "Piekļuve ārkārtas kārtā", "Break-glass access")                                        \
  X(kBreakGlassIntro,                                                                                         \
    "Šo lietu parastā kārtā neatverat. Norādiet iemeslu: piekļuve tiks ierakstīta auditā, un "        \
    "lietas atbildīgais darbinieks un struktūrvienības vadītājs to redzēs savā darba kārtībā. Tā " \
    "ilgst līdz šīs dienas beigām.",                                                                          \
    "You do not open this case file in the ordinary way. Give the reason: the access is written "             \
    "to the audit trail, and the case's responsible officer and the unit's supervisor will see "              \
    "it on their agenda. It lasts until the end of today.")                                                   \
  X(kBreakGlassReason, "Iemesls (vismaz 10 rakstzīmes)", "Reason (at least 10 characters)")                   \
  X(kBreakGlassOpen, "Atvērt lietu", "Open the case file")                                                    \
  X(kBreakGlassUntil, "Atvērts ārkārtas kārtā līdz %s", "Opened by break-glass until %s")                     \
  X(kBreakGlassRefused, "Jums nav tiesību atvērt šo lietu ārkārtas kārtā.",                                   \
    "You may not open this case file by break-glass.")                                                        \
  X(kSealedReadOnly, "Aizzīmogota nepilngadīgā lieta: tikai lasīšanai",                                       \
    "Sealed juvenile case: read only")                                                                        \
  X(kCoveredCases, "Lietas, kurās aizvietojat kolēģi", "Cases you cover for a colleague")                     \
  X(kCoverGroup, "%s %s prombūtnē līdz %s · %zu lietas", "%s %s away until %s · %zu cases")                   \
  X(kCoverGroupOne, "%s %s prombūtnē līdz %s · %zu lieta", "%s %s away until %s · %zu case")                  \
  X(kSealedCases, "Aizzīmogotās lietas", "Sealed cases")                                                      \
  X(kOpensByBreakGlass, "Atveras tikai ārkārtas kārtā, norādot iemeslu",                                      \
    "Opens only by break-glass, with a reason")                                                               \
  X(kBreakGlassAgendaDetail, "%s atvēra lietu ārkārtas kārtā %s: %s",                                         \
    "%s opened the case file by break-glass on %s: %s")                                                       \
  X(kCircleOfSupport, "Atbalsta un atbildīguma aplis", "Circle of support and accountability")                \
  /* The date field's calendar popup (ui/date_input.cpp) */                                                   \
  X(kCalendarOpen, "Izvēlēties datumu kalendārā", "Pick the date in a calendar")                              \
  X(kMonthJanuary, "janvāris", "January")                                                                     \
  X(kMonthFebruary, "februāris", "February")                                                                  \
  X(kMonthMarch, "marts", "March")                                                                            \
  X(kMonthApril, "aprīlis", "April")                                                                          \
  X(kMonthMay, "maijs", "May")                                                                                \
  X(kMonthJune, "jūnijs", "June")                                                                             \
  X(kMonthJuly, "jūlijs", "July")                                                                             \
  X(kMonthAugust, "augusts", "August")                                                                        \
  X(kMonthSeptember, "septembris", "September")                                                               \
  X(kMonthOctober, "oktobris", "October")                                                                     \
  X(kMonthNovember, "novembris", "November")                                                                  \
  X(kMonthDecember, "decembris", "December")                                                                  \
  X(kWeekdayMon, "P", "Mo")                                                                                   \
  X(kWeekdayTue, "O", "Tu")                                                                                   \
  X(kWeekdayWed, "T", "We")                                                                                   \
  X(kWeekdayThu, "C", "Th")                                                                                   \
  X(kWeekdayFri, "Pk", "Fr")                                                                                  \
  X(kWeekdaySat, "S", "Sa")                                                                                   \
  X(kWeekdaySun, "Sv", "Su")

enum class S {
#define LV_UI_STRING_ENUM(key, lv, en) key,
  LV_UI_STRINGS(LV_UI_STRING_ENUM)
#undef LV_UI_STRING_ENUM
      kCount
};

const char* Tr(S s);
// The string in a given language, whatever the current one (tests, exports).
const char* TrIn(S s, Lang lang);
// "visible###id": the visible text in the current language with a language-independent ID.
std::string Id(S s, const char* stable_id);

// Labels of the domain enums (current language).
const char* Tr(client::Role v);
const char* Tr(client::CaseKind v);
const char* Tr(client::CaseStatus v);
const char* Tr(client::RiskLevel v);
const char* Tr(client::Instrument v);
const char* Tr(client::NeedDomain v);
const char* Tr(client::ContactStatus v);
const char* Tr(client::ContactMode v);
const char* Tr(client::SectionStatus v);
const char* Tr(client::ReferralStatus v);
const char* Tr(client::ConsentDecision v);
const char* Tr(client::VolunteerKind v);
const char* Tr(client::VolunteerStage v);
const char* Tr(client::MentoringMode v);
const char* Tr(client::MeetingMode v);
const char* Tr(client::Institution v);
const char* Tr(client::ViolationKind v);
const char* Tr(client::EvaluationStatus v);
const char* Tr(client::AgendaKind v);
const char* Tr(client::ClientTag v);
const char* Tr(client::Relation v);
const char* Tr(client::EmOutcome v);
const char* Tr(client::Requester v);
const char* Tr(client::SectionOutcome v);
const char* Tr(client::EmploymentStatus v);
const char* Tr(client::DisabilityGroup v);
const char* Tr(client::CourtApplicationKind v);
const char* Tr(client::MissedContactDecision v);
const char* Tr(client::ProgrammeProvider v);
const char* Tr(client::ProgrammeMode v);
const char* Tr(client::Accreditation v);
const char* Tr(client::PlanStatus v);
const char* Tr(client::MediationMeetingStatus v);
const char* Tr(client::MediationOutcome v);
const char* Tr(client::AgreementFulfilment v);
const char* Tr(client::TransferStatus v);
// A history entry's kind (client::HistoryEntry::kind: created, updated, read, signed, closed,
// correction, version; client::CaseHistoryEntry::action adds render, export, import,
// break_glass, subject_access) in
// words; nullptr for a kind it does not know.
const char* HistoryKindLabel(std::string_view kind);
// The detail of a render, subject-access or break-glass entry in words ("Lietas kopsavilkums,
// PDF, 3 lpp."), from client::ParseAccessDetail; a detail it cannot read, as written.
std::string AccessDetailText(std::string_view action, std::string_view detail);
// A field of a record in words ("contact", "outcome" -> "Iznākums"). A column without a label
// is returned as it is (underscores kept) and remembered, so RawCodesIn reports it on screen
// like a raw enum code and the scripted runs fail on it.
std::string HistoryFieldLabel(std::string_view table, std::string_view column);
// Whether HistoryFieldLabel has a label for the column (tests check the main tables' columns).
bool HasHistoryFieldLabel(std::string_view table, std::string_view column);
// A stored value of a field in words: enum codes by their labels (one or a comma-joined list),
// ISO dates as dd.mm.yyyy, timestamps as dd.mm.yyyy HH:MM, 0/1 flags as jā/nē, cents as
// euros; any other value as it is. Empty stays empty. User ids are the caller's (it knows the
// directory).
std::string HistoryValueText(std::string_view table, std::string_view column,
                             std::string_view value);
// Columns holding a user id (signed_by, officer_id, ...), drawn by the user's name.
bool IsUserColumn(std::string_view column);

// Enum codes (client/model.hpp) drawn raw in `text`: whole words, case-sensitive. Codes with an
// underscore ("revoked_violation") are looked for in both languages; one-word codes ("open",
// "warning") only when `lang` is Latvian, where an English word on screen is a raw code. The
// desktop's scripted runs fail on any (tests/ui), so a new enum drawn without a label is caught
// by the tours. A word that is the value of a command-line option ("--role officer") is not
// looked at: the administrator's screen shows commands to copy.
std::vector<std::string> RawCodesIn(std::string_view text, Lang lang);
// A replicated table and one of its columns in words ("contact" -> "Kontakts"); unknown names
// are returned as they are, with underscores as spaces.
std::string TableLabel(std::string_view table);
std::string ColumnLabel(std::string_view column);
// Why this device refused something the central store sent (sync::Refusal::ground, one of
// sync::kRefusalGrounds), in words; kRefusalOther's text for "" and unknown grounds.
const char* RefusalGroundText(std::string_view ground);

// Every string of the table and every enum label in one language (tests check glyphs).
std::vector<std::string_view> AllStrings(Lang lang);

// ISO 'YYYY-MM-DD' (or a timestamp starting with one) as 'dd.mm.yyyy'; a stamped time in UTC
// gives its day in Latvia; other input unchanged.
std::string FormatDate(std::string_view iso);
// ISO timestamp as 'dd.mm.yyyy HH:MM': a stamped time in UTC ('YYYY-MM-DDTHH:MM:SS[.mmm]Z')
// in Latvia's time (UTC+2, in summer +3; client::ServiceDateTime) whatever zone the device is
// set to, a planned time without a zone ('YYYY-MM-DDTHH:MM') as written.
std::string FormatTimestamp(std::string_view iso);

}  // namespace lietvedis::ui
