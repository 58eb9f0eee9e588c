//! Seeded shuffles and draws. The seed is always passed in, so the same seed gives the same
//! order on every device and after every reload.
//!
//! This sits below both the quiz engine and the scenario model, which share it.

/// Shuffles `items` in place with a seeded Fisher–Yates shuffle.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut rng = oorandom::Rand64::new(seed as u128);
    for i in (1..items.len()).rev() {
        let j = rng.rand_range(0..(i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// Draws `count` distinct question ids from `candidates` (in a seeded random order).
pub fn draw(candidates: &[&str], count: usize, seed: u64) -> Vec<String> {
    let mut ids: Vec<&str> = candidates.to_vec();
    ids.sort_unstable();
    ids.dedup();
    shuffle(&mut ids, seed);
    ids.into_iter().take(count).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draw_and_duplicates_are_drawn_once() {
        let ids = ["a", "b", "b", "c", "d"];
        assert_eq!(draw(&ids, 3, 7), draw(&ids, 3, 7));
        let all = draw(&ids, 10, 7);
        assert_eq!(all.len(), 4);
    }
}
