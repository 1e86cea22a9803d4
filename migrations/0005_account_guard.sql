-- Every write made for a signed-in member of staff begins, in the same atomic D1 batch, with one
-- statement that inserts a row here only when the account is NOT active: disabled, removed, or
-- given a new password after the token was issued. The CHECK refuses every row, so that statement
-- fails and undoes the whole batch. A write therefore never commits for an account that has lost
-- its access, whatever changed between the token check and the write, and it costs no extra
-- round trip. The table is always empty. The statement is in src/domain/signed_in.rs.
CREATE TABLE account_guard (
    refused INTEGER NOT NULL CONSTRAINT writes_need_an_active_account CHECK (refused = 0)
);
