// The encrypting VFS's page and frame decoder against files someone else wrote
// (storage/encrypted_vfs.hpp, storage/page_ledger.cpp). Once per process a real store is made
// through EncryptedVfs with fixed keys: two commits, a copy of its files taken (an older
// generation), a checkpoint, two more commits, a passive checkpoint (the ledger now vouches
// for the log so far), one more commit, closed without a checkpoint so the log stays on disk. Each
// input is a list of edits to those files (overwrite bytes, cut a file, copy a range within a file
// or from the older copy: a page put back, moved or replayed); the edited files are then opened as
// the store opens them (ledger, VerifyWal, SQLite over the VFS, TakeTamperEvent), checked whole
// (CheckFiles) and read.
//
// Invariants besides "no crash, no sanitizer report":
//  - what is read is the content of a committed state no older than the one the ledger vouches
//    for, never anything else: an edit either fails authentication, is refused as a rollback,
//    or cuts only the log's unvouched tail (what a crash may lose under synchronous=NORMAL);
//  - files left as they were (no edit changed a byte) open cleanly and read the last state.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "storage/database.hpp"
#include "storage/encrypted_vfs.hpp"
#include "storage/secret.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;
namespace st = lietvedis::storage;
using Bytes = std::vector<std::uint8_t>;

st::FileId TheFileId() {
  st::FileId id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<std::uint8_t>(0xa0 + i);
  return id;
}

st::SecretBytes Key(std::uint8_t fill) {
  auto k = st::SecretBytes::Allocate(32);
  LV_FUZZ_CHECK(k.ok());
  for (std::size_t i = 0; i < 32; ++i) k->data()[i] = static_cast<std::uint8_t>(fill + i);
  return std::move(*k);
}

Bytes ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  LV_FUZZ_CHECK(out.good());
}

// Every row of t in order, as one string: the state a reader sees.
std::optional<std::string> ReadState(st::Database& db) {
  auto stmt = db.Prepare("SELECT id, v FROM t ORDER BY id");
  if (!stmt.ok()) return std::nullopt;
  std::string out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return std::nullopt;
    if (!*row) break;
    out += std::to_string(stmt->Int(0)) + '=' + std::string(stmt->Text(1)) + ';';
  }
  return out;
}

std::string Row(int id, int version) {
  // Long enough that a few rows fill a page, different for every (row, version).
  std::string v = "r" + std::to_string(id) + "v" + std::to_string(version) + ":";
  while (v.size() < 900) v += static_cast<char>('a' + (id * 7 + version * 3 + v.size()) % 26);
  return v;
}

struct Files {
  Bytes db, wal, ledger;
};

struct Pristine {
  fs::path dir;
  Files now, older;               // the files at the end, and after the second commit
  std::set<std::string> states;   // every committed state of t
  std::set<std::string> durable;  // the states after the ledger last vouched for the log
  std::string last;               // the state at the end
};

Files Snapshot(const fs::path& dir) {
  return Files{ReadFile(dir / "store.db"), ReadFile(dir / "store.db-wal"),
               ReadFile(dir / "store.db.ledger")};
}

const Pristine& Made() {
  static const Pristine made = [] {
    Pristine p;
    std::string tmpl = (fs::temp_directory_path() / "lv-fuzz-vfs-XXXXXX").string();
    LV_FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr);
    p.dir = tmpl;
    // Removed at exit; kept in a plain buffer so the handler needs no destroyed object.
    static char to_remove[4096];
    std::snprintf(to_remove, sizeof to_remove, "%s", tmpl.c_str());
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(to_remove, ec);
    });
    const fs::path seed = p.dir / "seed";
    fs::create_directories(seed);
    const std::string path = (seed / "store.db").string();
    auto vfs = st::EncryptedVfs::Register(path, TheFileId(), Key(1), Key(2),
                                          st::EncryptedVfs::LedgerMode::kCreate);
    LV_FUZZ_CHECK(vfs.ok());
    {
      st::OpenOptions options;
      options.vfs = (*vfs)->name();
      options.wal = false;
      auto db = st::Database::Open(path, options);
      LV_FUZZ_CHECK(db.ok());
      int reserve = st::kPageReserve;
      LV_FUZZ_CHECK(sqlite3_file_control(db->handle(), "main", SQLITE_FCNTL_RESERVE_BYTES,
                                         &reserve) == SQLITE_OK);
      LV_FUZZ_CHECK(db->Exec("PRAGMA page_size=4096; PRAGMA journal_mode=MEMORY;").ok());
      LV_FUZZ_CHECK(db->Exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;").ok());
      LV_FUZZ_CHECK(sqlite3_db_config(db->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) ==
                    SQLITE_OK);
      auto commit = [&](int first, int last, int version) {
        LV_FUZZ_CHECK(db->Exec("BEGIN IMMEDIATE").ok());
        for (int id = first; id <= last; ++id) {
          auto s = db->Prepare(
              "INSERT INTO t(id, v) VALUES(?, ?) "
              "ON CONFLICT(id) DO UPDATE SET v=excluded.v");
          LV_FUZZ_CHECK(s.ok());
          s->Bind(1, std::int64_t{id});
          s->Bind(2, Row(id, version));
          LV_FUZZ_CHECK(s->Step().ok());
        }
        LV_FUZZ_CHECK(db->Exec("COMMIT").ok());
        auto state = ReadState(*db);
        LV_FUZZ_CHECK(state.has_value());
        p.states.insert(*state);
        p.last = *state;
      };
      LV_FUZZ_CHECK(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)").ok());
      p.states.insert("");  // the empty table is a committed state too
      commit(1, 8, 1);
      commit(5, 12, 2);
      LV_FUZZ_CHECK((*vfs)->FlushLedger().ok());
      p.older = Snapshot(seed);
      LV_FUZZ_CHECK(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
      commit(3, 6, 3);
      commit(13, 16, 4);
      // A passive checkpoint syncs the log and writes the ledger, which then vouches for the
      // log's frames so far: from here on a store may lose only what came after.
      LV_FUZZ_CHECK(db->Exec("PRAGMA wal_checkpoint(PASSIVE)").ok());
      p.durable.insert(p.last);
      commit(1, 2, 5);
      p.durable.insert(p.last);
    }
    LV_FUZZ_CHECK((*vfs)->FlushLedger().ok());
    (*vfs)->Lock();
    p.now = Snapshot(seed);
    LV_FUZZ_CHECK(!p.now.wal.empty() && !p.older.wal.empty());
    return p;
  }();
  return made;
}

// Reads n little-endian bytes from the input, or nullopt when it runs out.
struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  std::optional<std::uint32_t> Take(int bytes) {
    if (n < static_cast<std::size_t>(bytes)) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint32_t{p[i]} << (8 * i);
    p += bytes;
    n -= static_cast<std::size_t>(bytes);
    return v;
  }
};

template <typename F>  // Files or const Files
auto& Pick(F& f, std::uint32_t which) {
  switch (which % 3) {
    case 0:
      return f.db;
    case 1:
      return f.wal;
    default:
      return f.ledger;
  }
}

// Applies the edits. Each starts with an op byte: bits 0-1 the file (store.db, the log, the
// ledger), bits 2-3 the kind: 0 overwrite (offset u24, length u8, bytes), 1 cut to offset u24,
// 2 copy within the file (from u24, to u24, length u16), 3 copy from the older generation's
// same file (from u24, to u24, length u16). Offsets wrap to the file's size.
Files Edit(const Pristine& p, const std::uint8_t* data, std::size_t size) {
  Files f = p.now;
  Reader in{data, size};
  for (int edits = 0; edits < 64; ++edits) {
    auto op = in.Take(1);
    if (!op) break;
    Bytes& file = Pick(f, *op);
    const std::uint32_t kind = (*op >> 2) & 3;
    if (kind == 0) {
      auto off = in.Take(3), len = in.Take(1);
      if (!off || !len) break;
      std::size_t at = *off % (file.size() + 1);
      for (std::uint32_t i = 0; i < *len && in.n > 0; ++i, ++at) {
        const std::uint8_t b = *in.p;
        ++in.p;
        --in.n;
        if (at < file.size())
          file[at] = b;
        else
          file.push_back(b);
      }
    } else if (kind == 1) {
      auto off = in.Take(3);
      if (!off) break;
      file.resize(*off % (file.size() + 1));
    } else {
      auto from = in.Take(3), to = in.Take(3), len = in.Take(2);
      if (!from || !to || !len) break;
      // A copy of the source range's file (within the file, it changes under the copy). Built
      // with assign: GCC 12 at -O2 reports a false free-nonheap-object for the ternary copy.
      const Bytes& source = kind == 2 ? file : Pick(p.older, *op);
      if (source.empty()) continue;
      Bytes src;
      src.assign(source.begin(), source.end());
      const std::size_t a = *from % src.size();
      const std::size_t n = std::min<std::size_t>(*len, src.size() - a);
      const std::size_t b = *to % (file.size() + 1);
      if (file.size() < b + n) file.resize(b + n);
      std::copy(src.begin() + static_cast<std::ptrdiff_t>(a),
                src.begin() + static_cast<std::ptrdiff_t>(a + n),
                file.begin() + static_cast<std::ptrdiff_t>(b));
    }
  }
  return f;
}

}  // namespace

LV_FUZZ_TARGET(vfs_pages) {
  const Pristine& p = Made();
  const Files f = Edit(p, data, size);
  const bool untouched = f.db == p.now.db && f.wal == p.now.wal && f.ledger == p.now.ledger;

  const fs::path work = p.dir / "work";
  fs::remove_all(work);
  fs::create_directories(work);
  WriteFile(work / "store.db", f.db);
  WriteFile(work / "store.db-wal", f.wal);
  WriteFile(work / "store.db.ledger", f.ledger);
  const std::string path = (work / "store.db").string();

  auto vfs = st::EncryptedVfs::Register(path, TheFileId(), Key(1), Key(2),
                                        st::EncryptedVfs::LedgerMode::kLoad);
  if (!vfs.ok()) {
    LV_FUZZ_CHECK(!untouched);
    return 0;
  }
  // The whole-file check reads every page and frame itself; it reports damage, never fails
  // for it, and an untouched store has none.
  auto check = (*vfs)->CheckFiles();
  LV_FUZZ_CHECK(check.ok());
  if (untouched) LV_FUZZ_CHECK(check->damage.empty());
  if (!(*vfs)->VerifyWal().ok()) {
    LV_FUZZ_CHECK(!untouched);
    (*vfs)->Lock();
    return 0;
  }
  std::optional<std::string> state;
  {
    st::OpenOptions options;
    options.vfs = (*vfs)->name();
    options.create = false;
    auto db = st::Database::Open(path, options);
    if (db.ok()) {
      state = ReadState(*db);
      // Reads every page SQLite can reach, so a page no query touched is authenticated too.
      (void)db->Exec("PRAGMA integrity_check");
    }
  }
  const bool tampered = (*vfs)->TakeTamperEvent().has_value();
  (void)st::SqliteError(SQLITE_IOERR_AUTH, nullptr, "");  // this thread's pending VFS note
  (*vfs)->Lock();
  if (untouched) {
    LV_FUZZ_CHECK(!tampered);
    LV_FUZZ_CHECK(state.has_value() && *state == p.last);
  }
  // What a store would hand its reader (no tamper event) is a state it really committed, and
  // not one older than the ledger vouches for: a rolled-back or cut log is refused.
  if (state.has_value() && !tampered) {
    LV_FUZZ_CHECK(p.states.count(*state) == 1);
    LV_FUZZ_CHECK(p.durable.count(*state) == 1);
  }
  return 0;
}
