// rows.h: reading a result row into a struct's fields, and binding a statement's parameters, in
// the order the SQL names them.
//
// Every store maps its rows the same way: column 0 into the first field, column 1 into the
// next, each read as the field's type; and binds its INSERTs and UPDATEs the same way, ?1 from
// the first value, ?2 from the next. Written by hand that is one getColumn(N) or bind(N, ...)
// line per field in each store, with the numbers kept in step with the SQL by eye;
// read_columns() and bind_values() take the fields in the SQL's order, so each is one call.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace pp::sqlite {

// One column into a field of the column's C++ type. A NULL text is "", a NULL optional
// integer is nullopt; the other types are NOT NULL columns.
inline void read_column(const SQLite::Column& column, std::string& field) {
  // Assigned in place (no temporary string): a loop that reads into the same fields reuses their
  // buffers (the reports read hundreds of thousands of rows).
  const char* text = column.getText("");  // "" for NULL; its length next, as SQLite asks
  field.assign(text, static_cast<std::size_t>(column.getBytes()));
}
inline void read_column(const SQLite::Column& column, std::int64_t& field) {
  field = column.getInt64();
}
inline void read_column(const SQLite::Column& column, int& field) {
  field = column.getInt();
}
inline void read_column(const SQLite::Column& column, bool& field) {
  field = column.getInt() != 0;
}
inline void read_column(const SQLite::Column& column, std::optional<std::int64_t>& field) {
  if (column.isNull()) {
    field = std::nullopt;
  } else {
    field = column.getInt64();
  }
}

// Reads the current row's columns 0, 1, 2, ... into `fields`, in that order.
template <typename... Fields>
void read_columns(SQLite::Statement& row, Fields&... fields) {
  int index = 0;
  (read_column(row.getColumn(index++), fields), ...);
}

// One parameter from a value; an empty optional binds NULL.
template <typename Value>
void bind_value(SQLite::Statement& statement, int index, const Value& value) {
  statement.bind(index, value);
}
inline void bind_value(SQLite::Statement& statement, int index,
                       const std::optional<std::int64_t>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

// Binds `values` to the statement's parameters 1, 2, 3, ..., in that order.
template <typename... Values>
void bind_values(SQLite::Statement& statement, const Values&... values) {
  int index = 1;
  (bind_value(statement, index++, values), ...);
}

// The first row `sql` finds with `values` bound (bind_values), mapped by `from_row`; nullopt
// when it finds none.
template <typename FromRow, typename... Values>
auto query_one(SQLite::Database& db, const std::string& sql, FromRow&& from_row,
               const Values&... values)
    -> std::optional<std::invoke_result_t<FromRow&, SQLite::Statement&>> {
  SQLite::Statement query(db, sql);
  bind_values(query, values...);
  if (!query.executeStep()) return std::nullopt;
  return from_row(query);
}

}  // namespace pp::sqlite
