#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

// Encrypts the batches, signs them as one push (one signature, a proof in each) and posts
// them; on success removes them from the outbox.
Result<void> SyncEngine::Impl::SendBatches(const std::vector<Sent>& sent) {
  pr::PushRequest req;
  for (const Sent& s : sent) {
    LV_ASSIGN(OutboxBatch b, replica->ReadOutboxRange(s.scope, s.first_seq, s.last_seq));
    LV_ASSIGN(std::vector<std::uint8_t> plain,
              EncodeBatch(s.scope, b.changes, static_cast<std::uint64_t>(s.push_no)));
    if (options.batch_zstd_level > 0) {
      LV_ASSIGN(plain, CompressBatch(std::move(plain), options.batch_zstd_level));
    }
    LV_ASSIGN(pr::Envelope e, keyring->Encrypt(s.scope, s.batch_id, profile.device_id, plain));
    req.batches.push_back(std::move(e));
  }
  LV_TRY(keyring->SignPush(req.batches));
  std::string body;
  if (options.push_binary && server_takes_binary_push) {
    // The pull page's form (sync/pull_codec.hpp): the ciphertext raw, not in base64.
    pr::PullResponse page;
    page.envelopes = std::move(req.batches);
    std::string bytes = pr::EncodePullPage(page);
    if (server_takes_compressed_push && options.push_zstd_level > 0) {
      bytes = pr::CompressPushBody(std::move(bytes), options.push_zstd_level);
    }
    LV_ASSIGN(body, Post("/v1/push", bytes, pr::kBinaryContentType));
    req.batches = std::move(page.envelopes);
  } else {
    LV_ASSIGN(body, Post("/v1/push", pr::ToJson(req).dump()));
  }
  LV_TRY(Fault("push-answered"));
  LV_ASSIGN(pr::PushResponse res, pr::ParseBody<pr::PushResponse>(body));
  if (res.results.size() != sent.size()) {
    return MakeError(Errc::kProtocol, "the push answer does not match the batches sent");
  }
  LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (res.results[i].batch_id != sent[i].batch_id) {
      return MakeError(Errc::kProtocol, "the push answer names another batch");
    }
    if (res.results[i].duplicate) ++report.duplicate_batches;
    LV_TRY(replica->MarkPushed(sent[i].scope, sent[i].first_seq, sent[i].last_seq));
    LV_TRY(db->Run("DELETE FROM sync_push_pending WHERE batch_id=?", sent[i].batch_id));
    report.pushed_changes += sent[i].changes;
    ++report.pushed_batches;
  }
  return tx.Commit();
}

Result<void> SyncEngine::Impl::Push() {
  LV_ASSIGN(std::int64_t total, replica->PendingCount());
  Report(SyncPhase::kPush, 0, total);
  // Batches whose id was fixed by an earlier attempt go first, with the same id: if the
  // server stored them, it answers duplicate:true and stores nothing.
  {
    LV_ASSIGN(
        Statement st,
        db->Prepare("SELECT batch_id, scope, first_seq, last_seq, push_no FROM sync_push_pending"
                    " ORDER BY rowid"));
    std::vector<Sent> again;
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      again.push_back({st.Text(0), st.Text(1), st.Int(2), st.Int(3), 0, st.Int(4)});
    }
    std::vector<Sent> sendable;
    for (Sent& s : again) {
      if (blocked.count(s.scope) != 0) continue;
      LV_ASSIGN(
          std::int64_t n,
          db->QueryInt("SELECT count(*) FROM sync_outbox WHERE scope=? AND seq BETWEEN ? AND ?",
                       s.scope, s.first_seq, s.last_seq));
      s.changes = n;
      sendable.push_back(s);
    }
    if (!sendable.empty()) LV_TRY(SendBatches(sendable));
  }
  // Skip scopes still held back by an unsent earlier batch (their order matters to nobody,
  // but their ranges must not be sent twice under two ids).
  std::set<std::string> skip = blocked;
  {
    LV_ASSIGN(Statement st, db->Prepare("SELECT DISTINCT scope FROM sync_push_pending"));
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      skip.insert(st.Text(0));
    }
  }
  skip.insert(pr::kKindOrg);
  for (;;) {
    LV_ASSIGN(
        std::vector<OutboxBatch> batches,
        replica->ReadOutbox(options.push_batch_changes, options.push_batches_per_request, skip));
    if (batches.empty()) break;
    std::vector<Sent> sent;
    {
      LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
      for (const OutboxBatch& b : batches) {
        // The scope's next push number, durable with the id: a retry sends both unchanged.
        LV_TRY(
            db->Run("INSERT INTO sync_push_numbers(scope, last) VALUES(?, 1)"
                    " ON CONFLICT(scope) DO UPDATE SET last=last+1",
                    b.scope));
        LV_ASSIGN(std::int64_t push_no,
                  db->QueryInt("SELECT last FROM sync_push_numbers WHERE scope=?", b.scope));
        Sent s{NewBatchId(),
               b.scope,
               b.first_seq,
               b.last_seq,
               static_cast<std::int64_t>(b.changes.size()),
               push_no};
        LV_TRY(
            db->Run("INSERT INTO sync_push_pending(batch_id, scope, first_seq, last_seq, push_no)"
                    " VALUES(?, ?, ?, ?, ?)",
                    s.batch_id, s.scope, s.first_seq, s.last_seq, s.push_no));
        sent.push_back(std::move(s));
      }
      LV_TRY(tx.Commit());  // the ids are durable before anything leaves the device
    }
    LV_TRY(SendBatches(sent));
    Report(SyncPhase::kPush, report.pushed_changes, total);
  }
  return Ok();
}

}  // namespace lietvedis::sync
