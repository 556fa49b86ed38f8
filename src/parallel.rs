//! Work spread over the cores: the commands lint targets in parallel, and
//! the human report renders them in parallel.

/// `items.map(f)` in order, on every core when there are enough items. Each
/// worker takes the next item when it is free, so one large file does not
/// leave a core idle behind a fixed share of the list.
pub fn parallel_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if items.len() < 8 {
        return items.into_iter().map(f).collect();
    }
    // Not free: it reads the cgroup's CPU quota.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let (f, queue) = (&f, &queue);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    // The lock is held only to take an item, never while `f` runs.
                    while let Some((i, item)) = queue.lock().map_or(None, |mut q| q.next()) {
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker thread panicked"))
            .collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    #[test]
    fn parallel_map_keeps_the_order() {
        // Uneven work, so that the workers finish out of order.
        let out = parallel_map((0..500u64).collect(), |i| {
            let spin = if i % 7 == 0 { 20_000 } else { 10 };
            (0..spin).fold(i, |acc, k| std::hint::black_box(acc ^ k))
                ^ (0..spin).fold(0, |a, k| a ^ k)
        });
        assert_eq!(out, (0..500u64).collect::<Vec<_>>());
    }
}
