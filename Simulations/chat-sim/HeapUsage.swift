import CHeapUsage

/// The process's heap, as the allocator reports it.
enum HeapUsage {
    /// Bytes currently allocated with malloc (small chunks plus mmapped large ones); 0 where
    /// the platform's allocator cannot tell.
    static func allocatedBytes() -> Int { Int(heap_usage_allocated_bytes()) }
}
