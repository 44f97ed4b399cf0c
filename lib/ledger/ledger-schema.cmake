# ledger-schema.cmake: embeds share/ledger/NNN-*.sql into the ledger library at build time, so
# an installed program needs no data files to create or migrate its database.
#
# Each file becomes one entry of pp::ledger_sql::kMigrations in the generated header
# ledger/ledger-schema-sql.h; NNN is the schema version (PRAGMA user_version) it leads to.
# CONFIGURE_DEPENDS makes an edited or added .sql file re-run this at the next build.

file(GLOB pp_ledger_sql_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/share/ledger/*.sql)
list(SORT pp_ledger_sql_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${pp_ledger_sql_files})

set(pp_ledger_sql_entries "")
foreach(sql_file IN LISTS pp_ledger_sql_files)
  get_filename_component(sql_name ${sql_file} NAME)
  if(NOT sql_name MATCHES "^([0-9][0-9][0-9])-.*\\.sql$")
    message(FATAL_ERROR "share/ledger/${sql_name}: migrations are named NNN-what.sql")
  endif()
  math(EXPR sql_version "${CMAKE_MATCH_1}")  # "001" -> 1
  file(READ ${sql_file} sql_text)
  string(FIND "${sql_text}" ")pp_sql\"" delimiter_at)
  if(NOT delimiter_at EQUAL -1)
    message(FATAL_ERROR "share/ledger/${sql_name} contains the raw-string delimiter )pp_sql\"")
  endif()
  string(APPEND pp_ledger_sql_entries
         "    {${sql_version}, \"${sql_name}\", R\"pp_sql(${sql_text})pp_sql\"},\n")
endforeach()

set(pp_ledger_generated_dir ${CMAKE_CURRENT_BINARY_DIR}/ledger-generated)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/ledger/ledger-schema-sql.h.in
               ${pp_ledger_generated_dir}/ledger/ledger-schema-sql.h @ONLY)
target_include_directories(pp_ledger PRIVATE ${pp_ledger_generated_dir})

# The journal hash chain uses BLAKE2b (crypto_generichash) from libsodium.
target_link_libraries(pp_ledger PRIVATE PkgConfig::PP_SODIUM)
