//! The original's other map modes: every combination of several input lists (`product`), and
//! one value shared by every item without copying it (`Shared`).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Lists whose cartesian product can be taken: tuples of 2 to 4 `Vec`s.
pub trait Product {
    /// One combination: a tuple with a value from each list.
    type Item;
    /// Every combination, the first list outermost.
    fn combinations(self) -> Vec<Self::Item>;
}

/// Every combination of the values of several lists, the first list outermost (the original's
/// `map_mode="product"`); map the tuples into the pipeline's inputs.
///
/// ```
/// use hypernodes::{node, pipeline, product};
///
/// #[node]
/// fn greeting(name: &str, language: &str) -> String {
///     match language { "fr" => format!("bonjour {name}"), _ => format!("hello {name}") }
/// }
/// pipeline! { Greet = [greeting] }
///
/// let items = product((vec!["ann".to_owned(), "bo".to_owned()], vec!["en".to_owned(), "fr".to_owned()]))
///     .map(|(name, language)| GreetInputs { name, language });
/// let outs = Greet::new().map(items)?;
/// let greetings: Vec<&str> = outs.iter().map(|o| o.greeting.as_str()).collect();
/// assert_eq!(greetings, ["hello ann", "bonjour ann", "hello bo", "bonjour bo"]);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub fn product<P: Product>(lists: P) -> std::vec::IntoIter<P::Item> {
    lists.combinations().into_iter()
}

macro_rules! product_of {
    ($first:ident $($rest:ident)+) => {
        impl<$first: Clone $(, $rest: Clone)+> Product for (Vec<$first> $(, Vec<$rest>)+) {
            type Item = ($first $(, $rest)+);

            #[allow(non_snake_case)]
            fn combinations(self) -> Vec<Self::Item> {
                let ($first $(, $rest)+) = self;
                let inner = ($($rest,)+).combinations_of_rest();
                let mut all = Vec::with_capacity($first.len() * inner.len());
                for value in $first {
                    for rest in &inner {
                        let ($($rest,)+) = rest.clone();
                        all.push((value.clone() $(, $rest)+));
                    }
                }
                all
            }
        }
    };
}

/// The product of the lists after the first, as tuples (a 1-tuple for one list).
trait RestProduct {
    type Item: Clone;
    fn combinations_of_rest(self) -> Vec<Self::Item>;
}

impl<A: Clone> RestProduct for (Vec<A>,) {
    type Item = (A,);
    fn combinations_of_rest(self) -> Vec<(A,)> {
        self.0.into_iter().map(|a| (a,)).collect()
    }
}

impl<A: Clone, B: Clone> RestProduct for (Vec<A>, Vec<B>) {
    type Item = (A, B);
    fn combinations_of_rest(self) -> Vec<(A, B)> {
        Product::combinations(self)
    }
}

impl<A: Clone, B: Clone, C: Clone> RestProduct for (Vec<A>, Vec<B>, Vec<C>) {
    type Item = (A, B, C);
    fn combinations_of_rest(self) -> Vec<(A, B, C)> {
        Product::combinations(self)
    }
}

product_of!(A B);
product_of!(A B C);
product_of!(A B C D);

/// One value shared by every item of a map without copying it: cloning a `Shared` copies a
/// pointer (it is an `Arc`), never the value. Declare the node parameter as `&Shared<T>` and
/// give every item the same handle.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use hypernodes::{node, pipeline, Shared};
///
/// static COPIES: AtomicUsize = AtomicUsize::new(0);
/// pub struct Vocabulary(Vec<String>);
/// impl Clone for Vocabulary {
///     fn clone(&self) -> Self { COPIES.fetch_add(1, Ordering::SeqCst); Vocabulary(self.0.clone()) }
/// }
///
/// #[node]
/// fn known(word: &str, vocabulary: &Shared<Vocabulary>) -> bool {
///     vocabulary.0.iter().any(|w| w == word)
/// }
/// pipeline! { Known = [known] }
///
/// let vocabulary = Shared::new(Vocabulary(vec!["cat".into(), "dog".into()]));
/// let items = ["cat", "cow", "dog"].map(|w| KnownInputs { word: w.into(), vocabulary: vocabulary.clone() });
/// let outs = Known::new().map(items)?;
/// assert_eq!(outs.iter().map(|o| o.known).collect::<Vec<_>>(), [true, false, true]);
/// assert_eq!(COPIES.load(Ordering::SeqCst), 0);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    /// Shares `value`.
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Shared").field(&*self.0).finish()
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_orders_the_first_list_outermost() {
        let all: Vec<(u8, char, bool)> =
            product((vec![1, 2], vec!['a', 'b'], vec![true])).collect();
        assert_eq!(
            all,
            [
                (1, 'a', true),
                (1, 'b', true),
                (2, 'a', true),
                (2, 'b', true)
            ]
        );
        let four = product((vec![1], vec![2, 3], vec![4], vec![5, 6])).count();
        assert_eq!(four, 4);
        assert_eq!(product((Vec::<u8>::new(), vec![1])).count(), 0);
    }
}
