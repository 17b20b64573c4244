// The system SQLite, for the few bulk paths that bind values directly
// (demo data and million-row imports); everything else goes through GRDB.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro cast that Swift cannot import.
static inline sqlite3_destructor_type csqlite3_transient(void) { return SQLITE_TRANSIENT; }
