// Merge rules of Replica::ApplyRemote and the conflict inbox, case by case.
#include <catch2/catch.hpp>

#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/sync/sync_test_support.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::ReplicaNode;
using lietvedis::testing::TempDir;
using lietvedis::testing::ValueText;

namespace {

std::string Name(ReplicaNode& n, const std::string& id) {
  auto st = n.db.Prepare("SELECT name FROM item WHERE id=?");
  REQUIRE(st.ok());
  st->Bind(1, id);
  auto row = st->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Text(0);
}

void FixWall(ReplicaNode& n, std::int64_t* wall) {
  n.replica->clock().SetWallClock([wall] { return *wall; });
}

}  // namespace

TEST_CASE("A write that saw the previous value wins without a conflict", "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  a->Put("item", "r1", "case:1", {{"name", std::string("v1")}});
  REQUIRE(b->Apply(a->Drain()).ok());
  CHECK(Name(*b, "r1") == "v1");
  b->Put("item", "r1", "case:1", {{"name", std::string("v2")}});
  auto st = a->Apply(b->Drain());
  REQUIRE(st.ok());
  CHECK(st->applied == 1);
  CHECK(st->conflicts == 0);
  CHECK(Name(*a, "r1") == "v2");
  CHECK(a->replica->UnresolvedConflictCount().value() == 0);
  CHECK(b->replica->UnresolvedConflictCount().value() == 0);
}

TEST_CASE("The newer of two concurrent writes wins on both sides, the older goes to the inbox",
          "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  std::int64_t wa = 1'000'000, wb = 1'060'000;  // b writes a minute later (within the skew)
  FixWall(*a, &wa);
  FixWall(*b, &wb);
  a->Put("item", "r1", "case:1", {{"name", std::string("from-a")}});
  b->Put("item", "r1", "case:1", {{"name", std::string("from-b")}});
  auto ca = a->Drain();
  auto cb = b->Drain();
  REQUIRE(a->Apply(cb).ok());
  REQUIRE(b->Apply(ca).ok());
  CHECK(Name(*a, "r1") == "from-b");
  CHECK(Name(*b, "r1") == "from-b");
  auto ia = a->replica->Conflicts("case:");
  REQUIRE(ia.ok());
  REQUIRE(ia->size() == 1);
  CHECK(std::get<std::string>((*ia)[0].loser_value) == "from-a");
  CHECK(std::get<std::string>((*ia)[0].winner_value) == "from-b");
  CHECK((*ia)[0].loser.site == "site-a");
  CHECK((*ia)[0].winner.site == "site-b");
  CHECK(a->Inbox() == b->Inbox());
  // Another scope filter sees nothing.
  CHECK(a->replica->Conflicts("mentoring:").value().empty());
}

TEST_CASE("Equal clocks are broken by the site id, the same way everywhere", "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  std::int64_t wall = 5'000'000;
  FixWall(*a, &wall);
  FixWall(*b, &wall);
  a->Put("item", "r1", "case:1", {{"name", std::string("from-a")}});
  b->Put("item", "r1", "case:1", {{"name", std::string("from-b")}});
  auto ca = a->Drain();
  auto cb = b->Drain();
  REQUIRE(ca[0].stamp.hlc == cb[0].stamp.hlc);
  REQUIRE(a->Apply(cb).ok());
  REQUIRE(b->Apply(ca).ok());
  CHECK(Name(*a, "r1") == "from-b");  // "site-b" > "site-a" bytewise
  CHECK(Name(*b, "r1") == "from-b");
  CHECK(a->Inbox() == b->Inbox());
  CHECK(a->Inbox().size() == 1);
}

TEST_CASE("A stale ancestor arriving late is neither applied nor a conflict", "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  a->Put("item", "r1", "case:1", {{"name", std::string("v1")}});
  a->Put("item", "r1", "case:1", {{"name", std::string("v2")}});
  a->Put("item", "r1", "case:1", {{"name", std::string("v3")}});
  auto chain = a->Drain();
  REQUIRE(chain.size() == 3);
  // Newest first, then the rest backwards: the gaps make ancestors look like leaves for a
  // moment, but once every link is there nothing is left in the inbox.
  REQUIRE(b->Apply({chain[2]}).ok());
  REQUIRE(b->Apply({chain[0]}).ok());
  REQUIRE(b->Apply({chain[1]}).ok());
  CHECK(Name(*b, "r1") == "v3");
  CHECK(b->replica->Conflicts({}, true).value().empty());
  // And in order, straight: no conflict at any point.
  auto c = ReplicaNode::Open(dir / "c.db", "site-c");
  for (const Change& ch : chain) {
    auto st = c->Apply({ch});
    REQUIRE(st.ok());
    CHECK(st->conflicts == 0);
  }
  CHECK(c->replica->Conflicts({}, true).value().empty());
}

TEST_CASE("Concurrent edits land in the inbox of every replica, a resolution reaches them all",
          "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  auto c = ReplicaNode::Open(dir / "c.db", "site-c");
  a->Put("item", "r1", "case:1", {{"name", std::string("base")}, {"n", std::int64_t{1}}});
  auto base = a->Drain();
  REQUIRE(b->Apply(base).ok());
  REQUIRE(c->Apply(base).ok());
  // a and b both edit name while offline; c edits n.
  a->Put("item", "r1", "case:1", {{"name", std::string("edit-a")}});
  b->Put("item", "r1", "case:1", {{"name", std::string("edit-b")}});
  c->Put("item", "r1", "case:1", {{"n", std::int64_t{7}}});
  auto ca = a->Drain(), cb = b->Drain(), cc = c->Drain();
  REQUIRE(a->Apply(cb).ok());
  REQUIRE(a->Apply(cc).ok());
  REQUIRE(b->Apply(cc).ok());
  REQUIRE(b->Apply(ca).ok());
  REQUIRE(c->Apply(ca).ok());
  REQUIRE(c->Apply(cb).ok());
  CHECK(a->Dump() == b->Dump());
  CHECK(b->Dump() == c->Dump());
  REQUIRE(a->Inbox().size() == 1);  // name only; n was not concurrent
  CHECK(a->Inbox() == b->Inbox());
  CHECK(b->Inbox() == c->Inbox());

  // c resolves, choosing the losing value; the choice syncs and closes the entry everywhere.
  auto open = c->replica->Conflicts("case:1");
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  const ConflictEntry e = (*open)[0];
  {
    auto tx = storage::Transaction::Begin(c->db);
    REQUIRE(tx.ok());
    REQUIRE(c->replica->ResolveConflict(e.id, e.loser_value).ok());
    auto twice = c->replica->ResolveConflict(e.id, e.winner_value);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == Errc::kConflict);
    auto unknown = c->replica->ResolveConflict("00", e.winner_value);
    CHECK(unknown.error().code == Errc::kNotFound);
    REQUIRE(tx->Commit().ok());
  }
  auto res = c->Drain();
  REQUIRE(a->Apply(res).ok());
  REQUIRE(b->Apply(res).ok());
  for (ReplicaNode* n : {a.get(), b.get(), c.get()}) {
    CHECK(n->replica->UnresolvedConflictCount().value() == 0);
    CHECK(Name(*n, "r1") == ValueText(e.loser_value).substr(1));
  }
  CHECK(a->Inbox() == c->Inbox());
  CHECK(a->Dump() == c->Dump());
}

TEST_CASE("Append-only rows never conflict, a rewrite from the network is a protocol error",
          "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  a->Put("note", "n1", "case:1", {{"body", std::string("written once")}});
  auto notes = a->Drain();
  REQUIRE(b->Apply(notes).ok());
  auto again = b->Apply(notes);  // re-delivery: no-op
  REQUIRE(again.ok());
  CHECK(again->applied == 0);
  CHECK(again->conflicts == 0);

  Change forged = notes[0];
  forged.value = std::string("rewritten");
  forged.stamp.hlc += 10;
  Change harmless;
  harmless.scope = "case:1";
  harmless.table = "item";
  harmless.row_id = "r9";
  harmless.column = "name";
  harmless.value = std::string("x");
  harmless.stamp = Stamp{forged.stamp.hlc, "site-z"};
  auto bad = b->Apply({harmless, forged});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kProtocol);
  CHECK(b->db.QueryInt("SELECT count(*) FROM item").value() == 0);  // nothing applied
  CHECK(b->db.QueryInt("SELECT count(*) FROM note WHERE body='written once'").value() == 1);
  CHECK(b->replica->UnresolvedConflictCount().value() == 0);
}

TEST_CASE("Applying the same changes twice is a no-op", "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  a->Put("item", "r1", "case:1", {{"name", std::string("v1")}, {"n", std::int64_t{3}}});
  a->Put("item", "r1", "case:1", {{"name", std::string("v2")}});
  auto changes = a->Drain();
  auto first = b->Apply(changes);
  REQUIRE(first.ok());
  CHECK(first->applied == 3);
  const auto dump = b->Dump();
  auto second = b->Apply(changes);
  REQUIRE(second.ok());
  CHECK(second->applied == 0);
  CHECK(second->ignored == 3);
  CHECK(b->Dump() == dump);
  CHECK(b->Inbox().empty());
  // The clock has observed the remote stamps: a later local write orders after them.
  b->Put("item", "r1", "case:1", {{"n", std::int64_t{4}}});
  auto mine = b->Drain();
  CHECK(mine[0].stamp > changes.back().stamp);
}

TEST_CASE("A remote change naming an unknown table or column is refused whole", "[sync][merge]") {
  TempDir dir;
  auto b = ReplicaNode::Open(dir / "b.db", "site-b");
  Change good;
  good.scope = "case:1";
  good.table = "item";
  good.row_id = "r1";
  good.column = "name";
  good.value = std::string("ok");
  good.stamp = Stamp{HlcPack(1'000, 0), "site-a"};
  Change table = good;
  table.table = "sqlite_master";
  Change column = good;
  column.column = "scope";  // routing column, never a data column
  Change malformed = good;
  malformed.prev = Stamp{good.stamp.hlc + 1, "site-a"};  // replaces a newer version
  for (const Change& bad : {table, column, malformed}) {
    auto r = b->Apply({good, bad});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    CHECK(b->db.QueryInt("SELECT count(*) FROM item").value() == 0);
  }
  // A row that exists in one scope cannot be moved by a change in another, not even by a
  // second change of the same batch.
  Change moved = good;
  moved.scope = "case:2";
  moved.column = "n";
  moved.value = std::int64_t{1};
  moved.stamp.hlc += 5;
  auto same_batch = b->Apply({good, moved});
  REQUIRE_FALSE(same_batch.ok());
  CHECK(same_batch.error().code == Errc::kProtocol);
  CHECK(b->db.QueryInt("SELECT count(*) FROM item").value() == 0);
  REQUIRE(b->Apply({good}).ok());
  auto r = b->Apply({moved});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kProtocol);
}

TEST_CASE("The outbox is read per scope in order, in limited batches, and emptied on ack",
          "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  for (int i = 0; i < 5; ++i) {
    a->Put("item", "c1-" + std::to_string(i), "case:1", {{"n", std::int64_t{i}}});
    a->Put("item", "c2-" + std::to_string(i), "case:2", {{"n", std::int64_t{i}}});
  }
  auto tx = storage::Transaction::Begin(a->db);
  REQUIRE(tx.ok());
  auto batches = a->replica->ReadOutbox(2, 10);
  REQUIRE(batches.ok());
  REQUIRE(batches->size() == 6);  // 3 per scope: 2 + 2 + 1
  CHECK((*batches)[0].scope == "case:1");
  CHECK((*batches)[0].changes.size() == 2);
  CHECK((*batches)[2].changes.size() == 1);
  CHECK((*batches)[3].scope == "case:2");
  CHECK((*batches)[0].changes[0].stamp < (*batches)[0].changes[1].stamp);
  CHECK(a->replica->ReadOutbox(2, 2).value().size() == 2);
  auto again =
      a->replica->ReadOutboxRange("case:1", (*batches)[0].first_seq, (*batches)[0].last_seq);
  REQUIRE(again.ok());
  CHECK(again->changes.size() == 2);
  REQUIRE(a->replica->MarkPushed("case:1", (*batches)[0].first_seq, (*batches)[0].last_seq).ok());
  CHECK(a->replica->PendingCount().value() == 8);
  auto per = a->replica->PendingByScope();
  REQUIRE(per.ok());
  REQUIRE(per->size() == 2);
  CHECK((*per)[0].second == 3);
  CHECK((*per)[1].second == 5);
}

TEST_CASE("A remote stamp beyond the allowed clock skew is refused and pins nothing",
          "[sync][merge]") {
  TempDir dir;
  auto a = ReplicaNode::Open(dir / "a.db", "site-a");
  std::int64_t wall = 5'000'000'000;
  FixWall(*a, &wall);
  a->Put("item", "r1", "case:1", {{"name", std::string("mine")}});
  (void)a->Drain();
  for (const std::int64_t hlc :
       {HlcPack(wall + kDefaultMaxRemoteSkewMs + 1'000, 0), std::int64_t{INT64_MAX}}) {
    Change c{"case:1", "item", "r1", "name", std::string("from the future"), Stamp{hlc, "site-x"},
             Stamp{}};
    auto st = a->Apply({c});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == Errc::kProtocol);
    CHECK(st.error().message.find("ahead of this device's clock") != std::string::npos);
    CHECK(Name(*a, "r1") == "mine");
  }
  // The clock was not dragged along: the next local write is stamped near the wall clock.
  a->Put("item", "r1", "case:1", {{"name", std::string("later")}});
  CHECK(HlcPhysicalMs(a->replica->clock().last()) == wall);
  // Within the skew (a device whose clock runs 5 minutes fast) is accepted.
  Change near{"case:1",
              "item",
              "r2",
              "name",
              std::string("fast clock"),
              Stamp{HlcPack(wall + 5 * 60'000, 0), "site-x"},
              Stamp{}};
  REQUIRE(a->Apply({near}).ok());
  CHECK(Name(*a, "r2") == "fast clock");
}
