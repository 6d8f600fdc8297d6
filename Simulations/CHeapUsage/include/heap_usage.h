#ifndef HEAP_USAGE_H
#define HEAP_USAGE_H
#include <stddef.h>

/// Bytes the allocator has handed out and not yet taken back (0 where unknown).
size_t heap_usage_allocated_bytes(void);

#endif
