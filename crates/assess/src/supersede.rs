//! Walks over supersedence edges ("A supersedes B") that terminate on any
//! graph: chains, diamonds, cycles and edges whose target is unknown
//! (dangling). Every walk keeps a visited set, so a cycle in the data is
//! reported, never looped on.
//!
//! The walks take the edges as a function so that they can be tested on
//! small hand-made graphs as well as run on the catalog.
use std::collections::BTreeSet;
use w2k8_core::hash::{FastMap, FastSet};
use w2k8_core::Kb;

/// Every KB reachable from `starts` by following `edges` (the starts
/// included): with `edges` = "what this update supersedes", the updates an
/// installed set makes unnecessary.
pub fn closure<I, F>(starts: I, edges: F) -> FastSet<Kb>
where
    I: IntoIterator<Item = Kb>,
    F: Fn(Kb) -> Vec<Kb>,
{
    let mut seen: FastSet<Kb> = FastSet::default();
    let mut stack: Vec<Kb> = Vec::new();
    for s in starts {
        if seen.insert(s) {
            stack.push(s);
        }
    }
    while let Some(k) = stack.pop() {
        for n in edges(k) {
            if seen.insert(n) {
                stack.push(n);
            }
        }
    }
    seen
}

/// The ends of the chains that start at `kb` when following `up` (= "which
/// updates supersede this one"): the updates nothing supersedes any more.
/// `kb` itself when nothing supersedes it. When every node reached lies on
/// a cycle (no end), the highest KB reached above `kb` stands for it and
/// `cycle` is true.
pub fn heads<F>(kb: Kb, up: F) -> Heads
where
    F: Fn(Kb) -> Vec<Kb>,
{
    let mut seen: FastSet<Kb> = FastSet::default();
    seen.insert(kb);
    let mut stack = vec![kb];
    let mut ends: BTreeSet<Kb> = BTreeSet::new();
    let mut cycle = false;
    while let Some(k) = stack.pop() {
        let next = up(k);
        if next.is_empty() {
            ends.insert(k);
        }
        for n in next {
            if seen.insert(n) {
                stack.push(n);
            } else {
                cycle = true;
            }
        }
    }
    if ends.is_empty() {
        // Only cycles: no update ends the chain.
        let rep = seen.iter().copied().filter(|k| *k != kb).max().unwrap_or(kb);
        return Heads { ends: vec![rep], cycle: true };
    }
    Heads { ends: ends.into_iter().collect(), cycle }
}

/// What [`heads`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heads {
    /// The chain ends, ascending.
    pub ends: Vec<Kb>,
    /// True when a node was reached twice (a diamond or a cycle).
    pub cycle: bool,
}

/// The supersedence cycles of a graph: for each back edge `(from, to)` found
/// by a depth-first walk, the edge that closes a cycle. Empty for a DAG.
pub fn back_edges<I, F>(nodes: I, edges: F) -> Vec<(Kb, Kb)>
where
    I: IntoIterator<Item = Kb>,
    F: Fn(Kb) -> Vec<Kb>,
{
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut mark: FastMap<Kb, Mark> = FastMap::default();
    let mut found = Vec::new();
    for root in nodes {
        if mark.contains_key(&root) {
            continue;
        }
        // Iterative DFS: (node, its successors, next index).
        let mut stack: Vec<(Kb, Vec<Kb>, usize)> = vec![(root, edges(root), 0)];
        mark.insert(root, Mark::Open);
        while let Some(top) = stack.last_mut() {
            let (node, succ, i) = (top.0, &top.1, top.2);
            match succ.get(i).copied() {
                Some(n) => {
                    top.2 += 1;
                    match mark.get(&n) {
                        Some(Mark::Open) => found.push((node, n)),
                        Some(Mark::Done) => {}
                        None => {
                            mark.insert(n, Mark::Open);
                            let s = edges(n);
                            stack.push((n, s, 0));
                        }
                    }
                }
                None => {
                    mark.insert(node, Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    found.sort_unstable();
    found
}

/// Edges whose target `exists` says is not a known update: `(from, to)`.
pub fn dangling<I, F, E>(nodes: I, edges: F, exists: E) -> Vec<(Kb, Kb)>
where
    I: IntoIterator<Item = Kb>,
    F: Fn(Kb) -> Vec<Kb>,
    E: Fn(Kb) -> bool,
{
    let mut v: Vec<(Kb, Kb)> =
        nodes.into_iter().flat_map(|k| edges(k).into_iter().filter(|t| !exists(*t)).map(move |t| (k, t))).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn kb(n: u32) -> Kb {
        Kb::new(n).unwrap()
    }

    /// A graph from (newer, older) pairs: "newer supersedes older".
    struct G(HashMap<Kb, Vec<Kb>>);
    impl G {
        fn new(pairs: &[(u32, u32)]) -> G {
            let mut m: HashMap<Kb, Vec<Kb>> = HashMap::new();
            for &(a, b) in pairs {
                m.entry(kb(a)).or_default().push(kb(b));
            }
            G(m)
        }
        fn down(&self, k: Kb) -> Vec<Kb> {
            self.0.get(&k).cloned().unwrap_or_default()
        }
        fn up(&self, k: Kb) -> Vec<Kb> {
            let mut v: Vec<Kb> = self.0.iter().filter(|(_, t)| t.contains(&k)).map(|(f, _)| *f).collect();
            v.sort_unstable();
            v
        }
        fn nodes(&self) -> Vec<Kb> {
            let mut v: Vec<Kb> =
                self.0.iter().flat_map(|(f, t)| std::iter::once(*f).chain(t.iter().copied())).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
    }

    fn sorted(s: FastSet<Kb>) -> Vec<u32> {
        let mut v: Vec<u32> = s.into_iter().map(Kb::number).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn chain_closure_and_heads() {
        // 4 > 3 > 2 > 1 (4 newest).
        let g = G::new(&[(4, 3), (3, 2), (2, 1)]);
        assert_eq!(sorted(closure([kb(3)], |k| g.down(k))), [1, 2, 3]);
        assert_eq!(sorted(closure([kb(4)], |k| g.down(k))), [1, 2, 3, 4]);
        assert_eq!(heads(kb(1), |k| g.up(k)), Heads { ends: vec![kb(4)], cycle: false });
        assert_eq!(heads(kb(4), |k| g.up(k)), Heads { ends: vec![kb(4)], cycle: false });
        assert!(back_edges(g.nodes(), |k| g.down(k)).is_empty());
    }

    #[test]
    fn diamond_and_two_ends() {
        // 1 is superseded by 2 and 3; both by 4; 3 also by 5.
        let g = G::new(&[(2, 1), (3, 1), (4, 2), (4, 3), (5, 3)]);
        let h = heads(kb(1), |k| g.up(k));
        assert_eq!(h.ends, vec![kb(4), kb(5)]);
        assert!(h.cycle, "4 is reached twice");
        assert_eq!(sorted(closure([kb(4)], |k| g.down(k))), [1, 2, 3, 4]);
        assert!(back_edges(g.nodes(), |k| g.down(k)).is_empty());
    }

    #[test]
    fn cycles_are_reported_not_looped() {
        // 1 > 2 > 3 > 1, and 3 > 4.
        let g = G::new(&[(1, 2), (2, 3), (3, 1), (3, 4)]);
        assert_eq!(sorted(closure([kb(2)], |k| g.down(k))), [1, 2, 3, 4]);
        let h = heads(kb(4), |k| g.up(k));
        // 4's superseder 3 is on a cycle with no way out: the cycle's highest KB stands for it.
        assert_eq!(h, Heads { ends: vec![kb(3)], cycle: true });
        let be = back_edges(g.nodes(), |k| g.down(k));
        assert_eq!(be.len(), 1);
        assert!(be.contains(&(kb(3), kb(1))), "{be:?}");
        // A self-loop.
        let s = G::new(&[(7, 7)]);
        assert_eq!(back_edges(s.nodes(), |k| s.down(k)), vec![(kb(7), kb(7))]);
        assert_eq!(heads(kb(7), |k| s.up(k)), Heads { ends: vec![kb(7)], cycle: true });
    }

    #[test]
    fn dangling_targets_are_listed() {
        // 9 supersedes 8 (known) and 100 (not an update of the catalog).
        let g = G::new(&[(9, 8), (9, 100)]);
        let known = [kb(8), kb(9)];
        assert_eq!(dangling([kb(8), kb(9)], |k| g.down(k), |k| known.contains(&k)), vec![(kb(9), kb(100))]);
        // Walks still terminate and include the dangling node.
        assert_eq!(sorted(closure([kb(9)], |k| g.down(k))), [8, 9, 100]);
    }

    #[test]
    fn catalog_graph_terminates() {
        let c = w2k8_catalog::Catalog::embedded();
        let down = |k: Kb| c.update(k).map(|u| u.supersedes.clone()).unwrap_or_default();
        let be = back_edges(c.updates().map(|u| u.kb), down);
        // Whatever the data holds, the walk ends; cycles (if any) are listed.
        assert!(be.len() < 50, "{be:?}");
        let d = dangling(c.updates().map(|u| u.kb), down, |k| c.contains(k));
        assert_eq!(d.len(), c.dangling_supersedes().len());
        let last = "KB5073697".parse().unwrap();
        let all = closure([last], down);
        assert!(all.contains(&"KB4458010".parse().unwrap()));
    }
}
