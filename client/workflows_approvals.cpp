// Approvals (issue 14): a supervisor of the case's unit countersigns a signed assessment, a
// plan version or a court application. The countersignature is an append-only record in the
// case scope (table countersignature); the case file lists it and the case history tells it
// as "countersigned" on the record it approves.
//
// Rules:
//  C1. Only these records: assessment (signed; an unsigned draft is refused), res_plan (a
//      recorded version is in force when created) and court_application (filed).
//  C2. Only an active supervisor of the case's unit (CanCountersign); never the record's
//      author: the assessor or signer of an assessment, the author of a plan version, or the
//      user whose device created the record (its `created` audit entry).
//  C3. Once per record: a second countersignature is refused (the record is countersigned).
//      Two supervisors countersigning offline both arrive; the earlier one counts.
#include <algorithm>

#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

constexpr size_t kRemark = 1000;

// The record kinds a supervisor countersigns and what their author columns are.
struct Countersignable {
  std::string_view table, author_columns;  // two SQL expressions over the record's row
};
constexpr Countersignable kCountersignable[] = {
    {"assessment", "assessor_id, signed_by"},
    {"res_plan", "author_id, ''"},
    {"court_application", "'', ''"},
};

}  // namespace

Result<std::string> Workspace::Execute(const Countersign& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    const auto kind =
        std::find_if(std::begin(kCountersignable), std::end(kCountersignable),
                     [&](const Countersignable& k) { return k.table == c.record_table; });
    if (kind == std::end(kCountersignable)) {
      return MakeError(Errc::kValidation,
                       "record_table: only an assessment, a plan version or a court application "
                       "is countersigned");
    }
    LV_TRY(RequireId(c.record_id, "record_id"));
    const std::string table(kind->table);
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, table, c.record_id));
    LV_ASSIGN(CaseFacts cf, LoadCase(ctx, case_id));
    if (!CanCountersign(actor_, cf.owner))
      return NotPermitted("countersign records of case " + case_id);
    LV_ASSIGN(auto remark, Text(c.remark, "remark", kRemark, false));

    // C1: an assessment must be signed.
    if (table == "assessment") {
      LV_ASSIGN(
          std::int64_t is_signed,
          db_.QueryInt("SELECT signed_at IS NOT NULL FROM assessment WHERE id=?", c.record_id));
      if (is_signed == 0) {
        return MakeError(Errc::kValidation,
                         "record_id: the assessment is an unsigned draft; it is countersigned "
                         "once signed");
      }
    }
    // C2: never the author.
    std::vector<std::string> author_ids;
    {
      LV_ASSIGN(Statement st, db_.Prepare("SELECT " + std::string(kind->author_columns) + " FROM " +
                                          table + " WHERE id=?"));
      st.Bind(1, c.record_id);
      LV_ASSIGN(bool row, st.Step());
      if (row) {
        author_ids.push_back(st.Text(0));
        author_ids.push_back(st.Text(1));
      }
    }
    {
      LV_ASSIGN(Statement st,
                db_.Prepare("SELECT user_id FROM audit WHERE target_table=? AND target_id=?"
                            " AND action='created'"));
      st.BindAll(table, c.record_id);
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        author_ids.push_back(st.Text(0));
      }
    }
    if (std::find(author_ids.begin(), author_ids.end(), actor_.user_id) != author_ids.end()) {
      return NotPermitted(
          "countersign a record you wrote or signed yourself: another "
          "supervisor of the unit countersigns it");
    }
    // C3: once per record.
    LV_ASSIGN(std::int64_t already,
              db_.QueryInt("SELECT count(*) FROM countersignature WHERE record_table=? AND "
                           "record_id=?",
                           table, c.record_id));
    if (already > 0) {
      return NotPermitted("countersign " + table + " " + c.record_id +
                          " again: it is already countersigned");
    }

    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "countersignature", id, CaseScope(case_id),
                    {{"case_id", Str(case_id)},
                     {"record_table", Str(table)},
                     {"record_id", Str(c.record_id)},
                     {"remark", Opt(remark)},
                     {"signed_by", Str(actor_.user_id)},
                     {"signed_at", Str(ctx.now)}}));
    return id;
  });
}

}  // namespace lietvedis::client
