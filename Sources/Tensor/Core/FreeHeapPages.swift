import Foundation

/// Gives the pages of malloc's free chunks back to the system: glibc's `malloc_trim(0)`, looked
/// up at run time (nothing happens where the C library has no such function).
///
/// A long loop of allocations of many sizes (a rollout's decode steps over several threads'
/// arenas) leaves free chunks whose pages stay resident; how many depends on timing. Trimming
/// now and then keeps resident memory at what is in use.
public enum FreeHeapPages {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }

    /// Returns free heap pages to the system; cheap when there are few (a walk of the free lists).
    public static func release() {
        _ = trim?(0)
    }
}
