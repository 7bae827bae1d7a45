// The audit hash chains: writing an entry in place, verifying what a device holds. The rules
// are in client/audit_chain.hpp; docs/THREATS.md says what they prove.
#include "client/audit_chain.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "sync/row_clock.hpp"

namespace lietvedis::client {

namespace {

constexpr std::string_view kHashDomain = "lietvedis.audit.v1";

void Feed(crypto_generichash_state& st, std::string_view s) {
  unsigned char len[4];
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) len[i] = static_cast<unsigned char>(n >> (8 * (3 - i)));
  crypto_generichash_update(&st, len, sizeof len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

std::string TextOf(const storage::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}

// "#3" or "#3–#5".
std::string Places(std::int64_t from, std::int64_t to) {
  std::string out = "#" + std::to_string(from);
  if (to > from) out += "–#" + std::to_string(to);
  return out;
}

// An entry as read back for verification, with what its stamps say about its author.
struct Held {
  AuditChainEntry e;
  bool chained = false;           // carries chain fields (all four, well-formed)
  bool malformed = false;         // carries some chain fields, or ill-formed ones
  std::set<std::string> authors;  // stamp sites of its fields
  bool stamps_damaged = false;
  std::int64_t hlc = 0;  // newest stamp of its fields
};

std::string AuthorsText(const std::set<std::string>& authors) {
  std::string out;
  for (const auto& a : authors) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

}  // namespace

std::string AuditEntryHash(const AuditChainEntry& e) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, crypto_generichash_BYTES);
  Feed(st, kHashDomain);
  Feed(st, e.id);
  Feed(st, e.scope);
  Feed(st, e.device_id);
  Feed(st, std::to_string(e.seq));
  Feed(st, e.prev_hash);
  Feed(st, e.user_id);
  Feed(st, e.action);
  Feed(st, e.target_table);
  Feed(st, e.target_id);
  // NULL and empty detail hash differently.
  const unsigned char has_detail = e.detail ? 1 : 0;
  crypto_generichash_update(&st, &has_detail, 1);
  Feed(st, e.detail.value_or(std::string()));
  Feed(st, e.at);
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash_final(&st, out, sizeof out);
  char hex[2 * crypto_generichash_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

const char* AuditFindingName(AuditFindingKind kind) {
  switch (kind) {
    case AuditFindingKind::kGap:
      return "gap";
    case AuditFindingKind::kFork:
      return "fork";
    case AuditFindingKind::kRewritten:
      return "rewritten";
    case AuditFindingKind::kForeign:
      return "foreign_author";
    case AuditFindingKind::kUnchained:
      return "unchained";
  }
  return "unknown";
}

Result<void> AppendAuditEntry(storage::Database& db, sync::Replica& replica,
                              AuditChainEntry entry) {
  if (entry.id.empty()) entry.id = sync::Replica::NewId();
  // The head is local state (audit_chain_head): the chain continues from what this device
  // wrote, never from an entry another device placed under this device's id.
  LV_ASSIGN(storage::Statement * head,
            db.Cached("SELECT seq, hash FROM audit_chain_head WHERE scope=?"));
  head->Bind(1, entry.scope);
  LV_ASSIGN(bool found, head->Step());
  std::int64_t seq = 1;
  std::string prev;
  if (found) {
    seq = head->Int(0) + 1;
    prev = head->Text(1);
  }
  head->Reset();
  entry.device_id = replica.site_id();
  entry.seq = seq;
  entry.prev_hash = prev;
  entry.hash = AuditEntryHash(entry);
  LV_TRY(replica.Write("audit", entry.id, entry.scope,
                       {{"user_id", storage::Value{entry.user_id}},
                        {"action", storage::Value{entry.action}},
                        {"target_table", storage::Value{entry.target_table}},
                        {"target_id", storage::Value{entry.target_id}},
                        {"detail", entry.detail ? storage::Value{*entry.detail} : storage::Value{}},
                        {"at", storage::Value{entry.at}},
                        {"device_id", storage::Value{entry.device_id}},
                        {"seq", storage::Value{entry.seq}},
                        {"prev_hash", storage::Value{entry.prev_hash}},
                        {"hash", storage::Value{entry.hash}}}));
  return db.Run(
      "INSERT INTO audit_chain_head(scope, seq, hash) VALUES(?, ?, ?)"
      " ON CONFLICT(scope) DO UPDATE SET seq=excluded.seq, hash=excluded.hash",
      entry.scope, entry.seq, entry.hash);
}

Result<void> NoteRestoredAuditEntry(storage::Database& db, const std::string& site_id,
                                    const std::string& id, const std::string& scope,
                                    std::span<const sync::FieldValue> fields) {
  const std::string* device = nullptr;
  const std::string* hash = nullptr;
  const std::int64_t* seq = nullptr;
  for (const auto& f : fields) {
    if (f.column == "device_id") device = std::get_if<std::string>(&f.value);
    if (f.column == "hash") hash = std::get_if<std::string>(&f.value);
    if (f.column == "seq") seq = std::get_if<std::int64_t>(&f.value);
  }
  if (device == nullptr || hash == nullptr || seq == nullptr || device->empty() || *seq <= 0) {
    return Ok();  // unchained (legacy) or ill-formed: verification judges it as it is
  }
  if (*device == site_id) {
    return db.Run(
        "INSERT INTO audit_chain_head(scope, seq, hash) VALUES(?, ?, ?)"
        " ON CONFLICT(scope) DO UPDATE SET seq=excluded.seq, hash=excluded.hash"
        " WHERE excluded.seq > audit_chain_head.seq",
        scope, *seq, *hash);
  }
  return db.Run(
      "INSERT OR REPLACE INTO audit_restored(id, scope, device_id, hash) VALUES(?, ?, ?, ?)", id,
      scope, *device, *hash);
}

Result<AuditVerifyReport> VerifyAuditChains(storage::Database& db,
                                            const std::vector<std::string>& scopes) {
  std::string sql =
      "SELECT id, scope, user_id, action, target_table, target_id, detail, at, device_id, seq,"
      " prev_hash, hash, sync_stamps FROM audit";
  if (!scopes.empty()) {
    sql += " WHERE scope IN (";
    for (size_t i = 0; i < scopes.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
  }
  sql += " ORDER BY scope, id";
  LV_ASSIGN(storage::Statement st, db.Prepare(sql));
  for (size_t i = 0; i < scopes.size(); ++i) st.Bind(static_cast<int>(i) + 1, scopes[i]);

  // Entries this device restored from a backup: id -> (chain device, hash at the restore).
  std::map<std::string, std::pair<std::string, std::string>> restored;
  {
    LV_ASSIGN(storage::Statement rs, db.Prepare("SELECT id, device_id, hash FROM audit_restored"));
    for (;;) {
      LV_ASSIGN(bool row, rs.Step());
      if (!row) break;
      restored[rs.Text(0)] = {rs.Text(1), rs.Text(2)};
    }
  }

  std::map<std::string, std::vector<Held>> by_scope;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    Held h;
    h.e.id = st.Text(0);
    h.e.scope = st.Text(1);
    h.e.user_id = TextOf(st.ValueAt(2));
    h.e.action = TextOf(st.ValueAt(3));
    h.e.target_table = TextOf(st.ValueAt(4));
    h.e.target_id = TextOf(st.ValueAt(5));
    if (!st.IsNull(6)) h.e.detail = TextOf(st.ValueAt(6));
    h.e.at = TextOf(st.ValueAt(7));
    const storage::Value device = st.ValueAt(8), seq = st.ValueAt(9), prev = st.ValueAt(10),
                         hash = st.ValueAt(11);
    const bool any = !std::holds_alternative<std::monostate>(device) ||
                     !std::holds_alternative<std::monostate>(seq) ||
                     !std::holds_alternative<std::monostate>(prev) ||
                     !std::holds_alternative<std::monostate>(hash);
    if (any) {
      const auto* d = std::get_if<std::string>(&device);
      const auto* n = std::get_if<std::int64_t>(&seq);
      const auto* p = std::get_if<std::string>(&prev);
      const auto* x = std::get_if<std::string>(&hash);
      if (d && n && p && x && !d->empty() && *n > 0 && x->size() == 64) {
        h.chained = true;
        h.e.device_id = *d;
        h.e.seq = *n;
        h.e.prev_hash = *p;
        h.e.hash = *x;
      } else {
        h.malformed = true;
        h.e.device_id = d ? *d : std::string();
        h.e.seq = n ? *n : 0;
      }
    }
    if (!st.IsNull(12)) {
      const storage::Blob blob = st.BlobAt(12);
      auto clock = sync::RowClock::Decode(blob);
      if (!clock.ok()) {
        h.stamps_damaged = true;
      } else {
        for (const auto& f : clock->fields()) {
          h.authors.insert(f.stamp.site);
          h.hlc = std::max(h.hlc, f.stamp.hlc);
        }
      }
    }
    by_scope[h.e.scope].push_back(std::move(h));
  }

  AuditVerifyReport report;
  auto find = [&](AuditFindingKind kind, const std::string& scope, const std::string& device,
                  const std::string& entry, std::int64_t seq, std::string message) {
    report.findings.push_back({kind, scope, device, entry, seq, std::move(message)});
  };

  for (auto& [scope, entries] : by_scope) {
    ++report.scopes;
    // Chains by device; entries with a trustworthy single author only.
    std::map<std::string, std::map<std::int64_t, std::vector<const Held*>>> chains;
    std::map<std::string, std::pair<std::int64_t, std::string>> first_chained;  // by author
    std::vector<const Held*> unchained;
    for (const Held& h : entries) {
      const std::string& id = h.e.id;
      if (h.stamps_damaged || h.authors.empty()) {
        find(AuditFindingKind::kRewritten, scope, h.e.device_id, id, h.e.seq,
             "entry " + id + " in scope " + scope +
                 " has no readable author stamp: it was not written through the replica");
        continue;
      }
      if (h.authors.size() > 1) {
        find(AuditFindingKind::kRewritten, scope, h.e.device_id, id, h.e.seq,
             "entry " + id + " in scope " + scope + " was written by more than one device (" +
                 AuthorsText(h.authors) + "): an append-only entry was changed");
        continue;
      }
      const std::string& author = *h.authors.begin();
      if (h.malformed) {
        find(AuditFindingKind::kRewritten, scope, h.e.device_id, id, h.e.seq,
             "entry " + id + " in scope " + scope + " (written by device " + author +
                 ") has incomplete or ill-formed chain fields");
        continue;
      }
      if (!h.chained) {
        unchained.push_back(&h);
        continue;
      }
      ++report.chained;
      if (author != h.e.device_id) {
        // Taken from a backup by this device: the chain's device wrote it, the restore wrote
        // it again. It is checked with that chain below; an entry changed since the restore
        // no longer carries the hash noted then and is forged like any other.
        auto r = restored.find(id);
        if (r != restored.end() && r->second.first == h.e.device_id &&
            r->second.second == h.e.hash) {
          ++report.restored;
          chains[h.e.device_id][h.e.seq].push_back(&h);
          continue;
        }
        find(AuditFindingKind::kForeign, scope, h.e.device_id, id, h.e.seq,
             "entry " + id + " in scope " + scope + " claims place #" + std::to_string(h.e.seq) +
                 " of device " + h.e.device_id + "'s chain but was written by device " + author +
                 ": a forged entry");
        continue;
      }
      chains[h.e.device_id][h.e.seq].push_back(&h);
      auto [it, fresh] = first_chained.try_emplace(author, h.hlc, id);
      if (!fresh && h.hlc < it->second.first) it->second = {h.hlc, id};
    }

    // Unchained entries: legacy unless their author had already begun its chain here.
    for (const Held* h : unchained) {
      const std::string& author = *h->authors.begin();
      auto it = first_chained.find(author);
      if (it != first_chained.end() && h->hlc > it->second.first) {
        find(AuditFindingKind::kUnchained, scope, author, h->e.id, 0,
             "entry " + h->e.id + " in scope " + scope + " carries no chain fields, but device " +
                 author + " has chained its entries here since entry " + it->second.second +
                 ": it was written outside the chain");
        continue;
      }
      ++report.unchained;
    }

    for (const auto& [device, places] : chains) {
      ++report.chains;
      const std::string chain = "device " + device + "'s chain in scope " + scope;
      // Gaps: places 1..last without an entry.
      std::int64_t expect = 1;
      for (const auto& [seq, at_place] : places) {
        if (seq > expect) {
          find(AuditFindingKind::kGap, scope, device, "", expect,
               chain + " lacks " + Places(expect, seq - 1) + ": " +
                   (seq - expect == 1 ? "an entry was" : "entries were") +
                   " dropped or withheld (entry " + at_place.front()->e.id + " at #" +
                   std::to_string(seq) + " follows them)");
        }
        expect = seq + 1;
      }
      for (const auto& [seq, at_place] : places) {
        if (at_place.size() > 1) {
          std::string ids;
          for (const Held* h : at_place) ids += (ids.empty() ? "" : ", ") + h->e.id;
          find(AuditFindingKind::kFork, scope, device, at_place.front()->e.id, seq,
               chain + " forks at #" + std::to_string(seq) + ": entries " + ids +
                   " all claim that place");
        }
        for (const Held* h : at_place) {
          if (AuditEntryHash(h->e) != h->e.hash) {
            find(AuditFindingKind::kRewritten, scope, device, h->e.id, seq,
                 "entry " + h->e.id + ", #" + std::to_string(seq) + " of " + chain +
                     ", does not match its hash: its content was changed after it was written");
          }
        }
        if (at_place.size() != 1) continue;
        const Held* h = at_place.front();
        if (seq == 1) {
          if (!h->e.prev_hash.empty()) {
            find(AuditFindingKind::kRewritten, scope, device, h->e.id, seq,
                 "entry " + h->e.id + ", #1 of " + chain +
                     ", names a predecessor: the start of the chain was replaced");
          }
          continue;
        }
        auto before = places.find(seq - 1);
        if (before == places.end() || before->second.size() != 1) continue;  // gap or fork
        const Held* p = before->second.front();
        if (h->e.prev_hash != p->e.hash) {
          find(AuditFindingKind::kRewritten, scope, device, h->e.id, seq,
               "entry " + h->e.id + ", #" + std::to_string(seq) + " of " + chain +
                   ", does not follow entry " + p->e.id + " at #" + std::to_string(seq - 1) +
                   ": an entry of the chain was replaced");
        }
      }
    }
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const AuditFinding& a, const AuditFinding& b) {
                     return std::tie(a.scope, a.device_id, a.seq) <
                            std::tie(b.scope, b.device_id, b.seq);
                   });
  return report;
}

}  // namespace lietvedis::client
