// The administrator's screen's strings (ui/screen_admin.cpp), Latvian and English: part of
// LV_UI_STRINGS in ui/i18n.hpp, kept apart so that neither file outgrows a screen's worth.
#pragma once

// X(key, latvian, english)
#define LV_UI_STRINGS_ADMIN(X)                                                                                \
  X(kAdminIntro,                                                                                              \
    "Organizācijas katalogs, kā šī ierīce to pēdējo reizi pārbaudīja ar organizācijas saknes "      \
    "atslēgu "                                                                                               \
    "(%lld ieraksti). Serveris to tikai glabā: ko tas pievienotu bez paraksta, šeit neparādās.",              \
    "The organisation's directory as this device last verified it under the organisation's root "             \
    "key "                                                                                                    \
    "(%lld statements). The server only stores it: what it added without a signature does not "               \
    "show here.")                                                                                             \
  X(kAdminNotSynced, "Katalogs vēl nav saņemts: sinhronizējiet ierīci.",                                      \
    "No directory yet: synchronise this device.")                                                             \
  X(kAdminTampered,                                                                                           \
    "Šajā ierīcē glabātais katalogs vairs neatbilst parakstam. Sinhronizējiet atkārtoti.",                    \
    "The directory kept on this device no longer matches its signature. Synchronise again.")                  \
  X(kAdminLocalOnly,                                                                                          \
    "Šī datu krātuve nav pieslēgta centrālajai krātuvei: organizācijas kataloga nav.",                        \
    "This store is not enrolled with a central store: there is no organisation directory.")                   \
  X(kAdminUsers, "Lietotāji", "Users")                                                                        \
  X(kAdminDevices, "Ierīces", "Devices")                                                                      \
  X(kAdminRole, "Loma", "Role")                                                                               \
  X(kAdminUnit, "Struktūrvienība", "Unit")                                                                    \
  X(kAdminState, "Stāvoklis", "State")                                                                        \
  X(kAdminDeviceCount, "Ierīces", "Devices")                                                                  \
  X(kAdminUserActive, "Aktīvs", "Active")                                                                     \
  X(kAdminUserInactive, "Deaktivizēts", "Deactivated")                                                        \
  X(kAdminDevice, "Ierīce", "Device")                                                                         \
  X(kAdminDeviceInService, "Darbojas", "In service")                                                          \
  X(kAdminDeviceRevoked, "Atsaukta %s: %s", "Revoked %s: %s")                                                 \
  X(kAdminThisDevice, "(šī ierīce)", "(this device)")                                                         \
  X(kAdminRevoke, "Atsaukt…", "Revoke…")                                                                      \
  X(kAdminRevokeTitle, "Ierīces atsaukšana", "Revoking a device")                                             \
  X(kAdminRevokeIntro,                                                                                        \
    "Atsaukšanu paraksta ar organizācijas saknes atslēgu, ko neglabā ne serveris, ne šis dators. "       \
    "Izpildiet šo komandu datorā, kur glabājas saknes atslēga; pēc tam ierīces sesijas tiek "           \
    "atteiktas "                                                                                              \
    "uzreiz, tā izdzēš lietu datus, kad pieslēdzas, un nākamais rakstītājs nomaina katras lietas "     \
    "atslēgu.",                                                                                               \
    "A revocation is signed with the organisation's root key, which neither the server nor this "             \
    "computer "                                                                                               \
    "holds. Run this command where the root key is kept; the device's sessions are then refused "             \
    "at once, "                                                                                               \
    "it erases its case data when it connects, and the next writer of each case changes its key.")            \
  X(kAdminRevokeReason, "Iemesls", "Reason")                                                                  \
  X(kAdminCopy, "Kopēt komandu", "Copy the command")                                                          \
  X(kAdminClose, "Aizvērt", "Close")                                                                          \
  X(kAdminLastSeen, "Pēdējā saziņa", "Last contact")                                                          \
  X(kAdminNeverSeen, "nekad", "never")                                                                        \
  X(kAdminDaysAgo, "pirms %d d.", "%d days ago")                                                              \
  X(kAdminCovers, "Aizvietošanas", "Covers")                                                                  \
  X(kAdminCoversIntro,                                                                                        \
    "Aizvietotājs saņem prombūtnē esošā inspektora lietas savā ierīcē uzreiz, bet atvērt tās var " \
    "tikai ārkārtas kārtā, norādot iemeslu, no pirmās līdz pēdējai dienai; inspektors to redz "      \
    "savā "                                                                                                  \
    "darba kārtībā. Aizvietošanu paraksta ar saknes (vai administratora) atslēgu: %s",                        \
    "The deputy's device receives the absent officer's case files at once, but they open only by "            \
    "break-glass, with a reason, from the first to the last day; the officer sees it on their "               \
    "agenda. A cover is signed with the root (or an administrator) key: %s")                                  \
  X(kAdminCoversNone, "Nav ierakstītu aizvietošanu.", "No covers recorded.")                                  \
  X(kAdminProgrammes, "Programmu katalogs", "Programme catalogue")                                            \
  X(kAdminProgrammesIntro,                                                                                    \
    "Katalogs visās ierīcēs ir vienāds: programmu pievieno, maina vai izņem ieraksts "                   \
    "organizācijas "                                                                                         \
    "parakstītajā direktorijā (%s). Izņemta programma paliek tiem, kas uz to jau nosūtīti.",                  \
    "The catalogue is the same on every device: a programme is added, changed or retired by a "               \
    "statement "                                                                                              \
    "in the organisation's signed directory (%s). A retired programme stays for those already "               \
    "referred.")                                                                                              \
  X(kAdminNewProgramme, "Jauna programma…", "New programme…")                                                 \
  X(kAdminNewProgrammeTitle, "Jauna programma katalogā", "A new programme in the catalogue")                  \
  X(kAdminEditProgrammeTitle, "Programma: %s", "Programme: %s")                                               \
  X(kAdminProgrammeEdit, "Labot…", "Change…")                                                                 \
  X(kAdminProgrammeName, "Nosaukums", "Name")                                                                 \
  X(kAdminProgrammeTarget, "Mērķa grupa", "Target group")                                                     \
  X(kAdminProgrammeProvider, "Īstenotājs", "Provider")                                                        \
  X(kAdminProgrammeProviderName, "Īstenotāja nosaukums", "Provider's name")                                   \
  X(kAdminProgrammeMode, "Forma", "Mode")                                                                     \
  X(kAdminProgrammeAccreditation, "Akreditācija", "Accreditation")                                            \
  X(kAdminProgrammeActive, "Aktīva", "Active")                                                                \
  X(kAdminProgrammeRetired, "Izņemta", "Retired")                                                             \
  X(kAdminProgrammeRetire, "Izņemt no kataloga (jaunus klientus uz to nenosūta)",                             \
    "Retire from the catalogue (no new referrals)")                                                           \
  X(kAdminCoverAway, "Prombūtnē", "Away")                                                                     \
  X(kAdminCoverDeputy, "Aizvieto", "Deputy")                                                                  \
  X(kAdminCoverPeriod, "Laiks", "Period")                                                                     \
  X(kAdminCoverUpcoming, "Sāksies", "Upcoming")                                                               \
  X(kAdminCoverCurrent, "Spēkā", "In force")                                                                  \
  X(kAdminCoverOver, "Beigusies", "Over")                                                                     \
  X(kAdminCoverEnd, "Beigt…", "End…")                                                                         \
  X(kAdminSeenCaption,                                                                                        \
    "Pēdējā saziņa ar centrālo krātuvi ir pēc tās datiem (nolasīts %s); ierīce, kas ilgāk par %d " \
    "dienām nav sazinājusies, ir izcelta.",                                                                   \
    "Last contact with the central store is by its own records (read %s); a device silent for "               \
    "more "                                                                                                   \
    "than %d days is highlighted.")                                                                           \
  X(kAdminSeenUnknown,                                                                                        \
    "Centrālā krātuve pēdējās saziņas laikus vēl nav sniegusi: sinhronizējiet ierīci.",                       \
    "The central store has not given last-contact times yet: synchronise this device.")                       \
  X(kAdminActions, "Darbības", "Actions")                                                                     \
  X(kAdminNewUnit, "Jauna struktūrvienība…", "New unit…")                                                     \
  X(kAdminNewUser, "Jauns lietotājs…", "New user…")                                                           \
  X(kAdminNewCover, "Jauna aizvietošana…", "New cover…")                                                      \
  X(kAdminEnrolCode, "Ierīces kods…", "Device code…")                                                         \
  X(kAdminDeactivate, "Deaktivizēt…", "Deactivate…")                                                          \
  X(kAdminReactivate, "Aktivizēt…", "Reactivate…")                                                            \
  X(kAdminRegion, "Reģions", "Region")                                                                        \
  X(kAdminUnitName, "Nosaukums", "Name")                                                                      \
  X(kAdminUserName, "Vārds, uzvārds", "Name")                                                                 \
  X(kAdminCoverFrom, "No (dd.mm.gggg)", "From (dd.mm.yyyy)")                                                  \
  X(kAdminCoverUntil, "Līdz (dd.mm.gggg)", "Until (dd.mm.yyyy)")                                              \
  X(kAdminPick, "Izvēlieties…", "Choose…")                                                                    \
  X(kAdminNewUnitTitle, "Jauna struktūrvienība", "A new unit")                                                \
  X(kAdminNewUserTitle, "Jauns lietotājs", "A new user")                                                      \
  X(kAdminNewCoverTitle, "Jauna aizvietošana", "A new cover")                                                 \
  X(kAdminEnrolTitle, "Ierīces reģistrācijas kods: %s", "A device enrolment code: %s")                        \
  X(kAdminDeactivateTitle, "Lietotāja deaktivizēšana: %s", "Deactivating a user: %s")                         \
  X(kAdminReactivateTitle, "Lietotāja aktivizēšana: %s", "Reactivating a user: %s")                           \
  X(kAdminFillFields, "Aizpildiet laukus, lai redzētu komandu.",                                              \
    "Fill in the fields to see the command.")                                                                 \
  X(kAdminCoverSelf, "aizvietotājs nevar būt pats prombūtnē esošais",                                         \
    "the deputy cannot be the absent officer")                                                                \
  X(kAdminCoverOtherUnit, "aizvietotājam jābūt tās pašas struktūrvienības inspektoram",                       \
    "the deputy must be an officer of the same unit")                                                         \
  X(kAdminCoverBackwards, "beigu diena ir pirms sākuma", "the last day is before the first")                  \
  X(kAdminCoverPast, "beigu diena jau pagājusi", "the last day is already past")                              \
  X(kAdminChangeIntro,                                                                                        \
    "Izmaiņas katalogā paraksta ar organizācijas saknes (vai administratora) atslēgu, ko neglabā "       \
    "ne serveris, ne šis dators. Izpildiet komandu datorā, kur glabājas atslēga (STORE un "               \
    "ROOT_KEY_FILE aizstājiet ar savējiem); ierīces izmaiņas saņem nākamajā sinhronizācijā.",                 \
    "A directory change is signed with the organisation's root (or an administrator) key, which "             \
    "neither the server nor this computer holds. Run the command where the key is kept (put your "            \
    "STORE and ROOT_KEY_FILE in); devices receive the change at their next sync.")                            \
  X(kAdminEnrolIntro,                                                                                         \
    "Kods der vienai ierīcei 72 stundas; nododiet to lietotājam personīgi. --cert ir centrālās "         \
    "krātuves sertifikāts, ko ierīce piesaista.",                                                             \
    "The code is good for one device for 72 hours; hand it to the user in person. --cert is the "             \
    "central store's certificate, which the device pins.")                                                    \
  X(kAdminDeactivateIntro,                                                                                    \
    "Deaktivizēts lietotājs vairs nevar pieslēgties centrālajai krātuvei nevienā ierīcē; viņa "      \
    "lietas pirms tam nododiet citam inspektoram.",                                                           \
    "A deactivated user can no longer connect to the central store from any device; reassign "                \
    "their cases first.")
