// The synchronous methods satisfy the asynchronous requirements as they are: no wrapper, no hop to another thread.
extension AppDatabase: RecordStore {}
