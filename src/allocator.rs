//! The WebAssembly module's memory allocator: small blocks from size-class
//! slabs, everything else from the system allocator.
//!
//! A check allocates and frees thousands of small strings, vectors and tree
//! nodes. The default allocator of `wasm32-unknown-unknown` (dlmalloc) spends
//! far more time per call than this one, whose common paths are a few loads and
//! stores:
//!
//! - A request of at most [`MAX_SMALL`] bytes (alignment at most [`BLOCK_ALIGN`])
//!   is rounded up to one of 32 size classes (8, 16, ..., 64, then four classes
//!   per doubling up to 4096: at most 25% above the request) and served from a
//!   64 KiB *slab* that holds blocks of that class only. Each slab keeps its own
//!   list of freed blocks and a bump offset for the blocks never handed out.
//! - A freed block goes back to its slab (found by rounding its address down to
//!   the slab alignment). A slab whose blocks are all free is kept for any class
//!   (up to [`SPARE_SLABS`] of them) or handed back to the system allocator, so
//!   memory taken for one kind of body is reusable by the next, and what the heap
//!   keeps beyond the live blocks stays bounded.
//! - Larger or more aligned requests go to the system allocator unchanged.
//!
//! The heap is single-threaded: [`SlabAllocator`] is only installed on
//! `wasm32` without the `atomics` target feature, where there is one thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

/// Size (and alignment) of a slab.
pub const SLAB_BYTES: usize = 64 * 1024;
/// Largest request served from slabs.
pub const MAX_SMALL: usize = 4096;
/// Alignment every block has (class sizes are multiples of it and the first
/// block sits at a multiple of it).
pub const BLOCK_ALIGN: usize = 8;
/// Empty slabs kept for reuse before further ones go back to the system allocator.
pub const SPARE_SLABS: usize = 16;

const CLASSES: usize = 32;

/// The size class of a small request (`1..=MAX_SMALL` bytes).
#[inline(always)]
fn class_of(size: usize) -> usize {
    if size <= 64 {
        return size.max(1).div_ceil(8) - 1;
    }
    let n = size - 1;
    let bits = (usize::BITS - 1 - n.leading_zeros()) as usize; // floor(log2(n)), at least 6
    8 + (bits - 6) * 4 + ((n >> (bits - 2)) & 3)
}

/// The block size of a class.
#[inline(always)]
fn class_size(class: usize) -> usize {
    if class < 8 {
        return (class + 1) * 8;
    }
    let bits = (class - 8) / 4 + 6;
    let quarter = (class - 8) % 4;
    (5 + quarter) << (bits - 2)
}

/// The start of every slab: its class, its blocks' bookkeeping and its place
/// in its class's list of slabs with free blocks.
#[repr(C)]
struct Slab {
    /// First freed block (each free block holds the address of the next).
    free: *mut u8,
    /// Offset of the first block never handed out.
    bump: usize,
    /// Offset past the last whole block.
    end: usize,
    /// Blocks handed out and not yet freed.
    live: usize,
    class: usize,
    /// Whether the slab is on its class's `partial` list.
    listed: bool,
    prev: *mut Slab,
    next: *mut Slab,
}

/// Offset of the first block: the header rounded up to the block alignment.
const HEADER: usize = (std::mem::size_of::<Slab>() + BLOCK_ALIGN - 1) & !(BLOCK_ALIGN - 1);

fn slab_layout() -> Layout {
    // SLAB_BYTES is a power of two and a multiple of its own alignment.
    Layout::from_size_align(SLAB_BYTES, SLAB_BYTES).unwrap_or(Layout::new::<u8>())
}

/// Whether a request is served from slabs.
#[inline(always)]
fn is_small(layout: &Layout) -> bool {
    layout.size() <= MAX_SMALL && layout.align() <= BLOCK_ALIGN
}

/// The allocator's state. Every slab it owns is either some class's `current`
/// slab, on some class's `partial` list (it has free blocks), full (on no list,
/// found again when one of its blocks is freed) or on the spare list.
pub struct Heap {
    /// The slab each class allocates from first.
    current: [*mut Slab; CLASSES],
    /// Other slabs of each class with at least one free block.
    partial: [*mut Slab; CLASSES],
    /// Empty slabs (linked through `next`) and their number.
    spare: *mut Slab,
    spare_count: usize,
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

impl Heap {
    pub const fn new() -> Self {
        Heap {
            current: [ptr::null_mut(); CLASSES],
            partial: [ptr::null_mut(); CLASSES],
            spare: ptr::null_mut(),
            spare_count: 0,
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::alloc`]: `layout` has a non-zero size.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        if !is_small(&layout) {
            return System.alloc(layout);
        }
        let class = class_of(layout.size());
        loop {
            let slab = self.current[class];
            if !slab.is_null() {
                let block = (*slab).free;
                if !block.is_null() {
                    (*slab).free = *(block as *mut *mut u8);
                    (*slab).live += 1;
                    return block;
                }
                let size = class_size(class);
                let bump = (*slab).bump;
                if bump + size <= (*slab).end {
                    (*slab).bump = bump + size;
                    (*slab).live += 1;
                    return (slab as *mut u8).add(bump);
                }
                // Full: it is found again through its address when a block is freed.
            }
            let next = self.take_partial(class);
            let next = if next.is_null() {
                self.new_slab(class)
            } else {
                next
            };
            if next.is_null() {
                return ptr::null_mut();
            }
            self.current[class] = next;
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::dealloc`]: `block` came from this heap with `layout`.
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if !is_small(&layout) {
            return System.dealloc(block, layout);
        }
        let slab = ((block as usize) & !(SLAB_BYTES - 1)) as *mut Slab;
        *(block as *mut *mut u8) = (*slab).free;
        (*slab).free = block;
        (*slab).live -= 1;
        if self.current[(*slab).class] == slab {
            return;
        }
        if (*slab).live == 0 {
            if (*slab).listed {
                self.unlink(slab);
            }
            self.retire(slab);
        } else if !(*slab).listed {
            self.push_partial(slab);
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::realloc`].
    pub unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let small = is_small(&layout);
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new_small = is_small(&new_layout);
        if small && new_small && class_of(layout.size()) == class_of(new_size) {
            return block;
        }
        if !small && !new_small {
            return System.realloc(block, layout, new_size);
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }

    /// A slab for `class`: a spare one, or a new one from the system allocator.
    unsafe fn new_slab(&mut self, class: usize) -> *mut Slab {
        let slab = if self.spare.is_null() {
            System.alloc(slab_layout()) as *mut Slab
        } else {
            let slab = self.spare;
            self.spare = (*slab).next;
            self.spare_count -= 1;
            slab
        };
        if slab.is_null() {
            return slab;
        }
        let size = class_size(class);
        slab.write(Slab {
            free: ptr::null_mut(),
            bump: HEADER,
            end: HEADER + (SLAB_BYTES - HEADER) / size * size,
            live: 0,
            class,
            listed: false,
            prev: ptr::null_mut(),
            next: ptr::null_mut(),
        });
        slab
    }

    /// An empty slab, no longer any class's: kept as a spare or given back.
    unsafe fn retire(&mut self, slab: *mut Slab) {
        if self.spare_count < SPARE_SLABS {
            (*slab).next = self.spare;
            self.spare = slab;
            self.spare_count += 1;
        } else {
            System.dealloc(slab as *mut u8, slab_layout());
        }
    }

    unsafe fn take_partial(&mut self, class: usize) -> *mut Slab {
        let slab = self.partial[class];
        if !slab.is_null() {
            self.unlink(slab);
        }
        slab
    }

    unsafe fn push_partial(&mut self, slab: *mut Slab) {
        let class = (*slab).class;
        let head = self.partial[class];
        (*slab).prev = ptr::null_mut();
        (*slab).next = head;
        (*slab).listed = true;
        if !head.is_null() {
            (*head).prev = slab;
        }
        self.partial[class] = slab;
    }

    unsafe fn unlink(&mut self, slab: *mut Slab) {
        let (prev, next) = ((*slab).prev, (*slab).next);
        if prev.is_null() {
            self.partial[(*slab).class] = next;
        } else {
            (*prev).next = next;
        }
        if !next.is_null() {
            (*next).prev = prev;
        }
        (*slab).prev = ptr::null_mut();
        (*slab).next = ptr::null_mut();
        (*slab).listed = false;
    }

    /// Slabs currently owned (in use or spare), for tests.
    #[cfg(test)]
    fn slabs(&self) -> (usize, usize) {
        let mut in_use = 0;
        for class in 0..CLASSES {
            in_use += usize::from(!self.current[class].is_null());
            let mut slab = self.partial[class];
            while !slab.is_null() {
                in_use += 1;
                slab = unsafe { (*slab).next };
            }
        }
        (in_use, self.spare_count)
    }
}

/// [`Heap`] as the global allocator of a single-threaded module.
pub struct SlabAllocator(std::cell::UnsafeCell<Heap>);

impl SlabAllocator {
    pub const fn new() -> Self {
        SlabAllocator(std::cell::UnsafeCell::new(Heap::new()))
    }
}

impl Default for SlabAllocator {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: only installed where there is a single thread (wasm32 without the
// `atomics` feature), so the heap is never reached from two threads, and a
// `GlobalAlloc` method never calls another one on the same heap re-entrantly
// (the system allocator it calls into is a different allocator).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for SlabAllocator {}

// SAFETY: every method forwards to the one `Heap`, which upholds the
// `GlobalAlloc` contract: a small block is handed out by exactly one slab and
// not again until freed; blocks are `BLOCK_ALIGN`-aligned and at least as
// large as requested; other requests are the system allocator's own.
unsafe impl GlobalAlloc for SlabAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(block, layout)
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(block, layout, new_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_small_size_within_a_quarter() {
        let mut previous = 0;
        for class in 0..CLASSES {
            let size = class_size(class);
            assert!(
                size > previous && size.is_multiple_of(BLOCK_ALIGN),
                "class {class}"
            );
            assert_eq!(class_of(size), class);
            assert_eq!(class_of(previous + 1), class);
            previous = size;
        }
        assert_eq!(previous, MAX_SMALL);
        for size in 1..=MAX_SMALL {
            let fit = class_size(class_of(size));
            assert!(
                fit >= size && (fit <= 8 || fit * 4 <= size * 5 + 3 * 64),
                "{size}"
            );
        }
    }

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    #[test]
    fn blocks_are_distinct_aligned_and_keep_their_contents() {
        let mut heap = Heap::new();
        let mut blocks = Vec::new();
        for i in 0..20_000usize {
            let size = 1 + (i * 7919) % 6000; // small and large
            let block = unsafe { heap.alloc(layout(size)) };
            assert!(!block.is_null());
            assert_eq!(block as usize % BLOCK_ALIGN, 0);
            unsafe { ptr::write_bytes(block, (i % 251) as u8, size) };
            blocks.push((block, size, (i % 251) as u8));
        }
        // Free every other block, allocate again, then check every live block.
        let mut kept = Vec::new();
        for (n, (block, size, byte)) in blocks.into_iter().enumerate() {
            if n % 2 == 0 {
                unsafe { heap.dealloc(block, layout(size)) };
            } else {
                kept.push((block, size, byte));
            }
        }
        for i in 0..5_000usize {
            let size = 1 + (i * 104_729) % 300;
            let block = unsafe { heap.alloc(layout(size)) };
            unsafe { ptr::write_bytes(block, 0xEE, size) };
            kept.push((block, size, 0xEE));
        }
        let mut starts: Vec<(usize, usize)> =
            kept.iter().map(|&(b, s, _)| (b as usize, s)).collect();
        starts.sort_unstable();
        for pair in starts.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "overlapping blocks");
        }
        for (block, size, byte) in kept {
            let bytes = unsafe { std::slice::from_raw_parts(block, size) };
            assert!(bytes.iter().all(|&b| b == byte));
            unsafe { heap.dealloc(block, layout(size)) };
        }
        let (in_use, spare) = heap.slabs();
        assert!(in_use <= CLASSES, "only current slabs remain: {in_use}");
        assert!(spare <= SPARE_SLABS);
    }

    #[test]
    fn emptied_slabs_serve_other_classes_and_memory_stays_bounded() {
        let mut heap = Heap::new();
        for round in 0..6 {
            // A 100,000-block burst of one class, then all freed: the next
            // round's class reuses the spare slabs or the system's memory.
            let size = [16, 24, 40, 72, 200, 1000][round];
            let blocks: Vec<*mut u8> = (0..100_000)
                .map(|_| unsafe { heap.alloc(layout(size)) })
                .collect();
            for &block in &blocks {
                unsafe { heap.dealloc(block, layout(size)) };
            }
            let (in_use, spare) = heap.slabs();
            assert!(
                in_use <= CLASSES,
                "round {round}: {in_use} slabs still in use"
            );
            assert!(spare <= SPARE_SLABS);
        }
    }

    #[test]
    fn realloc_keeps_contents_across_classes_and_to_the_system() {
        let mut heap = Heap::new();
        unsafe {
            let mut block = heap.alloc(layout(3));
            ptr::copy_nonoverlapping(b"abc".as_ptr(), block, 3);
            let mut size = 3;
            for new_size in [5, 8, 9, 100, 4096, 4097, 70_000, 4000, 12, 2] {
                block = heap.realloc(block, layout(size), new_size);
                assert!(!block.is_null());
                let kept = size.min(new_size).min(3);
                assert_eq!(std::slice::from_raw_parts(block, kept), &b"abc"[..kept]);
                size = new_size;
            }
            heap.dealloc(block, layout(size));
        }
    }

    #[test]
    fn over_aligned_requests_go_to_the_system() {
        let mut heap = Heap::new();
        unsafe {
            let wide = Layout::from_size_align(32, 64).unwrap();
            let block = heap.alloc(wide);
            assert_eq!(block as usize % 64, 0);
            heap.dealloc(block, wide);
        }
        assert_eq!(heap.slabs(), (0, 0));
    }
}
