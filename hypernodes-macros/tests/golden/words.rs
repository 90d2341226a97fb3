pub struct Words {
    __hypernodes_cache: ::core::option::Option<__HypernodesWordsCache>,
    __hypernodes_single: ::hypernodes::__private::SingleLimits,
}
#[doc(hidden)]
pub type __HypernodesWordsShared = ::hypernodes::__private::SharedLimits;
#[doc = r" A unit of items between the steps of a staged run; not public API."]
#[doc(hidden)]
#[allow(non_snake_case)]
#[derive(:: core :: default :: Default)]
pub struct __HypernodesWordsColumns {
    first: usize,
    n: usize,
    failed: ::std::vec::Vec<::core::option::Option<::hypernodes::Error>>,
    live: ::std::vec::Vec<usize>,
    col_text: ::std::vec::Vec<::core::option::Option<::std::string::String>>,
    col_cleaned: ::std::vec::Vec<::core::option::Option<::std::string::String>>,
    col_tokens: ::std::vec::Vec<::core::option::Option<::std::vec::Vec<::std::string::String>>>,
    col_word_count: ::std::vec::Vec<::core::option::Option<::core::primitive::usize>>,
    col_loud: ::std::vec::Vec<::core::option::Option<::std::string::String>>,
}
impl ::hypernodes::__private::Staged for Words {
    type Columns = __HypernodesWordsColumns;
    const STEPS: usize = 4usize;
    fn __hypernodes_columns<H, I>(
        &self,
        __hypernodes_hooks: &H,
        __hypernodes_first: usize,
        items: I,
        __hypernodes_columns: &mut __HypernodesWordsColumns,
    ) where
        H: ::hypernodes::__private::Hooks,
        I: ::core::iter::IntoIterator<Item = WordsInputs>,
    {
        __hypernodes_columns.col_text.clear();
        __hypernodes_columns.col_cleaned.clear();
        __hypernodes_columns.col_tokens.clear();
        __hypernodes_columns.col_word_count.clear();
        __hypernodes_columns.col_loud.clear();
        __hypernodes_columns.live.clear();
        __hypernodes_columns.failed.clear();
        let items = ::core::iter::IntoIterator::into_iter(items);
        let room = ::core::iter::Iterator::size_hint(&items).0;
        __hypernodes_columns.col_text.reserve(room);
        let mut __hypernodes_n = 0usize;
        for item in items {
            let WordsInputs { text: text } = item;
            __hypernodes_columns
                .col_text
                .push(::core::option::Option::Some(text));
            __hypernodes_n += 1;
        }
        __hypernodes_columns
            .failed
            .resize_with(__hypernodes_n, || ::core::option::Option::None);
        __hypernodes_columns.first = __hypernodes_first;
        __hypernodes_columns.n = __hypernodes_n;
        for i in 0..__hypernodes_n {
            ::hypernodes::__private::item_start(
                __hypernodes_hooks,
                &::hypernodes::__private::Scope::map_item(Self::INFO.name, __hypernodes_first + i),
            );
        }
    }
    #[allow(clippy::unused_unit)]
    fn __hypernodes_slots<'a>(
        &self,
        __hypernodes_first: usize,
        __hypernodes_n: usize,
        __hypernodes_columns: &'a mut __HypernodesWordsColumns,
    ) -> <Self as ::hypernodes::__private::Plumbing>::Slots<'a> {
        __hypernodes_columns.col_text.clear();
        __hypernodes_columns.col_cleaned.clear();
        __hypernodes_columns.col_tokens.clear();
        __hypernodes_columns.col_word_count.clear();
        __hypernodes_columns.col_loud.clear();
        __hypernodes_columns.live.clear();
        __hypernodes_columns.failed.clear();
        __hypernodes_columns
            .failed
            .resize_with(__hypernodes_n, || ::core::option::Option::None);
        __hypernodes_columns.first = __hypernodes_first;
        __hypernodes_columns.n = __hypernodes_n;
        (
            ::hypernodes::__private::InputSlot::values(&mut __hypernodes_columns.col_text),
            (),
        )
    }
    #[allow(
        unused_braces,
        unused_variables,
        unused_mut,
        clippy::let_unit_value,
        clippy::unit_arg,
        clippy::redundant_closure
    )]
    fn __hypernodes_step<H: ::hypernodes::__private::Hooks>(
        &self,
        __hypernodes_shared: &__HypernodesWordsShared,
        __hypernodes_worker: usize,
        __hypernodes_hooks: &H,
        step: usize,
        __hypernodes_columns: &mut __HypernodesWordsColumns,
    ) {
        #[allow(unused_imports)]
        use ::hypernodes::__private::{
            checkout as __hypernodes_checkout, clone_for as __hypernodes_clone_for,
            clone_for_retry as __hypernodes_clone_for_retry, retrying as __hypernodes_retrying,
            ArmWire as __HypernodesArmWire, FieldWire as __HypernodesFieldWire,
            SameArmOutput as __HypernodesSameArmOutput, SameInput as __HypernodesSameInput,
            SameStateful as __HypernodesSameStateful, Wire as __HypernodesWire,
        };
        #[allow(unused_imports)]
        use ::hypernodes::__private::{ViaDebug as _, ViaTypeName as _};
        let __hypernodes_n = __hypernodes_columns.n;
        let __hypernodes_first = __hypernodes_columns.first;
        let __hypernodes_running_cell =
            ::hypernodes::__private::Running::new(&__hypernodes_shared.__hypernodes_limits);
        let __hypernodes_running = &__hypernodes_running_cell;
        let __hypernodes_failed = &mut __hypernodes_columns.failed;
        match step {
            0usize => {
                let __hypernodes_col_text = &mut __hypernodes_columns.col_text;
                let mut __hypernodes_col_cleaned = ::hypernodes::__private::reuse_column(
                    &mut __hypernodes_columns.col_cleaned,
                    __hypernodes_n,
                );
                for __hypernodes_i in 0..__hypernodes_n {
                    if __hypernodes_failed[__hypernodes_i].is_some() {
                        __hypernodes_col_cleaned.push(::core::option::Option::None);
                        continue;
                    }
                    let text = __hypernodes_col_text[__hypernodes_i]
                        .take()
                        .expect("a live item has every value");
                    let __hypernodes_item_scope = ::hypernodes::__private::Scope::map_item(
                        Self::INFO.name,
                        __hypernodes_first + __hypernodes_i,
                    );
                    let __hypernodes_scope = &__hypernodes_item_scope;
                    let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
                        __hypernodes_running,
                        __hypernodes_hooks,
                        __hypernodes_scope,
                    );
                    let result = ::hypernodes::__private::catching(
                        "clean",
                        move || -> ::core::result::Result<_, ::hypernodes::Error> {
                            let __hypernodes_key_0: ::core::option::Option<
                                ::hypernodes::__private::Key,
                            > = match &self.__hypernodes_cache {
                                ::core::option::Option::Some(__hypernodes_table) => (|| {
                                    let __hypernodes_builder =
                                        ::hypernodes::__private::Key::builder(
                                            <clean as ::hypernodes::__private::NodeCode>::CODE,
                                            0u64,
                                        );
                                    let __hypernodes_builder =
                                        (__hypernodes_table.hash_0_0)(__hypernodes_builder, &text)?;
                                    ::core::option::Option::Some(__hypernodes_builder.finish())
                                })(
                                ),
                                ::core::option::Option::None => ::core::option::Option::None,
                            };
                            let cleaned = {
                                match ::hypernodes::__private::cache_lookup(
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| &*__hypernodes_table.store,
                                    ),
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| __hypernodes_table.get_0,
                                    ),
                                    &__hypernodes_key_0,
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "clean",
                                ) {
                                    ::core::option::Option::Some(__hypernodes_cached) => {
                                        __hypernodes_cached
                                    }
                                    ::core::option::Option::None => {
                                        let __hypernodes_cached = {
                                            __hypernodes_calls.enter("clean", 0usize);
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "clean",
                                                    false,
                                                    &[(
                                                        "text",
                                                        &(&::hypernodes::__private::Field(&text))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            let __hypernodes_value = { clean(&text) };
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "clean",
                                                    true,
                                                    &[(
                                                        "cleaned",
                                                        &(&::hypernodes::__private::Field(
                                                            &__hypernodes_value,
                                                        ))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            __hypernodes_calls.leave();
                                            __hypernodes_value
                                        };
                                        if let (
                                            ::core::option::Option::Some(__hypernodes_table),
                                            ::core::option::Option::Some(__hypernodes_k),
                                        ) = (&self.__hypernodes_cache, &__hypernodes_key_0)
                                        {
                                            (__hypernodes_table.put_0)(
                                                &__hypernodes_table.store,
                                                __hypernodes_k,
                                                &__hypernodes_cached,
                                            );
                                        }
                                        __hypernodes_cached
                                    }
                                }
                            };
                            ::core::result::Result::Ok(((cleaned,), ()))
                        },
                    );
                    match result {
                        ::core::result::Result::Ok(((cleaned,), ())) => {
                            __hypernodes_col_cleaned.push(::core::option::Option::Some(cleaned));
                        }
                        ::core::result::Result::Err(error) => {
                            __hypernodes_failed[__hypernodes_i] = ::core::option::Option::Some(
                                error.at_item(__hypernodes_first + __hypernodes_i),
                            );
                            __hypernodes_col_cleaned.push(::core::option::Option::None);
                        }
                    }
                }
                __hypernodes_columns.col_cleaned = __hypernodes_col_cleaned;
            }
            1usize => {
                let __hypernodes_col_cleaned = &mut __hypernodes_columns.col_cleaned;
                let mut __hypernodes_col_tokens = ::hypernodes::__private::reuse_column(
                    &mut __hypernodes_columns.col_tokens,
                    __hypernodes_n,
                );
                for __hypernodes_i in 0..__hypernodes_n {
                    if __hypernodes_failed[__hypernodes_i].is_some() {
                        __hypernodes_col_tokens.push(::core::option::Option::None);
                        continue;
                    }
                    let cleaned = __hypernodes_col_cleaned[__hypernodes_i]
                        .take()
                        .expect("a live item has every value");
                    let __hypernodes_item_scope = ::hypernodes::__private::Scope::map_item(
                        Self::INFO.name,
                        __hypernodes_first + __hypernodes_i,
                    );
                    let __hypernodes_scope = &__hypernodes_item_scope;
                    let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
                        __hypernodes_running,
                        __hypernodes_hooks,
                        __hypernodes_scope,
                    );
                    let result = ::hypernodes::__private::catching(
                        "tokenize",
                        move || -> ::core::result::Result<_, ::hypernodes::Error> {
                            let __hypernodes_key_1: ::core::option::Option<
                                ::hypernodes::__private::Key,
                            > = match &self.__hypernodes_cache {
                                ::core::option::Option::Some(__hypernodes_table) => {
                                    (|| {
                                        let __hypernodes_builder = :: hypernodes :: __private :: Key :: builder (< tokenize as :: hypernodes :: __private :: NodeCode > :: CODE , 0u64) ;
                                        let __hypernodes_builder = (__hypernodes_table.hash_1_0)(
                                            __hypernodes_builder,
                                            &cleaned,
                                        )?;
                                        ::core::option::Option::Some(__hypernodes_builder.finish())
                                    })()
                                }
                                ::core::option::Option::None => ::core::option::Option::None,
                            };
                            let tokens = {
                                match ::hypernodes::__private::cache_lookup(
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| &*__hypernodes_table.store,
                                    ),
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| __hypernodes_table.get_1,
                                    ),
                                    &__hypernodes_key_1,
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "tokenize",
                                ) {
                                    ::core::option::Option::Some(__hypernodes_cached) => {
                                        __hypernodes_cached
                                    }
                                    ::core::option::Option::None => {
                                        let __hypernodes_cached = {
                                            __hypernodes_calls.enter("tokenize", 1usize);
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "tokenize",
                                                    false,
                                                    &[(
                                                        "cleaned",
                                                        &(&::hypernodes::__private::Field(&cleaned))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            let __hypernodes_value = { tokenize(&cleaned) };
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "tokenize",
                                                    true,
                                                    &[(
                                                        "tokens",
                                                        &(&::hypernodes::__private::Field(
                                                            &__hypernodes_value,
                                                        ))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            __hypernodes_calls.leave();
                                            __hypernodes_value
                                        };
                                        if let (
                                            ::core::option::Option::Some(__hypernodes_table),
                                            ::core::option::Option::Some(__hypernodes_k),
                                        ) = (&self.__hypernodes_cache, &__hypernodes_key_1)
                                        {
                                            (__hypernodes_table.put_1)(
                                                &__hypernodes_table.store,
                                                __hypernodes_k,
                                                &__hypernodes_cached,
                                            );
                                        }
                                        __hypernodes_cached
                                    }
                                }
                            };
                            ::core::result::Result::Ok(((tokens,), (cleaned,)))
                        },
                    );
                    match result {
                        ::core::result::Result::Ok(((tokens,), (cleaned,))) => {
                            __hypernodes_col_tokens.push(::core::option::Option::Some(tokens));
                            __hypernodes_col_cleaned[__hypernodes_i] =
                                ::core::option::Option::Some(cleaned);
                        }
                        ::core::result::Result::Err(error) => {
                            __hypernodes_failed[__hypernodes_i] = ::core::option::Option::Some(
                                error.at_item(__hypernodes_first + __hypernodes_i),
                            );
                            __hypernodes_col_tokens.push(::core::option::Option::None);
                        }
                    }
                }
                __hypernodes_columns.col_tokens = __hypernodes_col_tokens;
            }
            2usize => {
                let __hypernodes_col_tokens = &mut __hypernodes_columns.col_tokens;
                let mut __hypernodes_col_word_count = ::hypernodes::__private::reuse_column(
                    &mut __hypernodes_columns.col_word_count,
                    __hypernodes_n,
                );
                for __hypernodes_i in 0..__hypernodes_n {
                    if __hypernodes_failed[__hypernodes_i].is_some() {
                        __hypernodes_col_word_count.push(::core::option::Option::None);
                        continue;
                    }
                    let tokens = __hypernodes_col_tokens[__hypernodes_i]
                        .take()
                        .expect("a live item has every value");
                    let __hypernodes_item_scope = ::hypernodes::__private::Scope::map_item(
                        Self::INFO.name,
                        __hypernodes_first + __hypernodes_i,
                    );
                    let __hypernodes_scope = &__hypernodes_item_scope;
                    let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
                        __hypernodes_running,
                        __hypernodes_hooks,
                        __hypernodes_scope,
                    );
                    let result = ::hypernodes::__private::catching(
                        "count",
                        move || -> ::core::result::Result<_, ::hypernodes::Error> {
                            let __hypernodes_key_2: ::core::option::Option<
                                ::hypernodes::__private::Key,
                            > = match &self.__hypernodes_cache {
                                ::core::option::Option::Some(__hypernodes_table) => (|| {
                                    let __hypernodes_builder =
                                        ::hypernodes::__private::Key::builder(
                                            <count as ::hypernodes::__private::NodeCode>::CODE,
                                            0u64,
                                        );
                                    let __hypernodes_builder = (__hypernodes_table.hash_2_0)(
                                        __hypernodes_builder,
                                        &tokens,
                                    )?;
                                    ::core::option::Option::Some(__hypernodes_builder.finish())
                                })(
                                ),
                                ::core::option::Option::None => ::core::option::Option::None,
                            };
                            let word_count = {
                                match ::hypernodes::__private::cache_lookup(
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| &*__hypernodes_table.store,
                                    ),
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| __hypernodes_table.get_2,
                                    ),
                                    &__hypernodes_key_2,
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "count",
                                ) {
                                    ::core::option::Option::Some(__hypernodes_cached) => {
                                        __hypernodes_cached
                                    }
                                    ::core::option::Option::None => {
                                        let __hypernodes_cached = {
                                            __hypernodes_calls.enter("count", 2usize);
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "count",
                                                    false,
                                                    &[(
                                                        "tokens",
                                                        &(&::hypernodes::__private::Field(&tokens))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            let __hypernodes_value = { count(&tokens) };
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "count",
                                                    true,
                                                    &[(
                                                        "word_count",
                                                        &(&::hypernodes::__private::Field(
                                                            &__hypernodes_value,
                                                        ))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            __hypernodes_calls.leave();
                                            __hypernodes_value
                                        };
                                        if let (
                                            ::core::option::Option::Some(__hypernodes_table),
                                            ::core::option::Option::Some(__hypernodes_k),
                                        ) = (&self.__hypernodes_cache, &__hypernodes_key_2)
                                        {
                                            (__hypernodes_table.put_2)(
                                                &__hypernodes_table.store,
                                                __hypernodes_k,
                                                &__hypernodes_cached,
                                            );
                                        }
                                        __hypernodes_cached
                                    }
                                }
                            };
                            ::core::result::Result::Ok(((word_count,), ()))
                        },
                    );
                    match result {
                        ::core::result::Result::Ok(((word_count,), ())) => {
                            __hypernodes_col_word_count
                                .push(::core::option::Option::Some(word_count));
                        }
                        ::core::result::Result::Err(error) => {
                            __hypernodes_failed[__hypernodes_i] = ::core::option::Option::Some(
                                error.at_item(__hypernodes_first + __hypernodes_i),
                            );
                            __hypernodes_col_word_count.push(::core::option::Option::None);
                        }
                    }
                }
                __hypernodes_columns.col_word_count = __hypernodes_col_word_count;
            }
            3usize => {
                let __hypernodes_col_cleaned = &mut __hypernodes_columns.col_cleaned;
                let mut __hypernodes_col_loud = ::hypernodes::__private::reuse_column(
                    &mut __hypernodes_columns.col_loud,
                    __hypernodes_n,
                );
                for __hypernodes_i in 0..__hypernodes_n {
                    if __hypernodes_failed[__hypernodes_i].is_some() {
                        __hypernodes_col_loud.push(::core::option::Option::None);
                        continue;
                    }
                    let cleaned = __hypernodes_col_cleaned[__hypernodes_i]
                        .take()
                        .expect("a live item has every value");
                    let __hypernodes_item_scope = ::hypernodes::__private::Scope::map_item(
                        Self::INFO.name,
                        __hypernodes_first + __hypernodes_i,
                    );
                    let __hypernodes_scope = &__hypernodes_item_scope;
                    let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
                        __hypernodes_running,
                        __hypernodes_hooks,
                        __hypernodes_scope,
                    );
                    let result = ::hypernodes::__private::catching(
                        "shout",
                        move || -> ::core::result::Result<_, ::hypernodes::Error> {
                            let __hypernodes_key_3: ::core::option::Option<
                                ::hypernodes::__private::Key,
                            > = match &self.__hypernodes_cache {
                                ::core::option::Option::Some(__hypernodes_table) => (|| {
                                    let __hypernodes_builder =
                                        ::hypernodes::__private::Key::builder(
                                            <shout as ::hypernodes::__private::NodeCode>::CODE,
                                            0u64,
                                        );
                                    let __hypernodes_builder = (__hypernodes_table.hash_3_0)(
                                        __hypernodes_builder,
                                        &cleaned,
                                    )?;
                                    ::core::option::Option::Some(__hypernodes_builder.finish())
                                })(
                                ),
                                ::core::option::Option::None => ::core::option::Option::None,
                            };
                            let loud = {
                                match ::hypernodes::__private::cache_lookup(
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| &*__hypernodes_table.store,
                                    ),
                                    ::core::option::Option::map(
                                        self.__hypernodes_cache.as_ref(),
                                        |__hypernodes_table| __hypernodes_table.get_3,
                                    ),
                                    &__hypernodes_key_3,
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "shout",
                                ) {
                                    ::core::option::Option::Some(__hypernodes_cached) => {
                                        __hypernodes_cached
                                    }
                                    ::core::option::Option::None => {
                                        let __hypernodes_cached = {
                                            __hypernodes_calls.enter("shout", 3usize);
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "shout",
                                                    false,
                                                    &[(
                                                        "cleaned",
                                                        &(&::hypernodes::__private::Field(&cleaned))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            let __hypernodes_value = {
                                                shout(__HypernodesWire::<
                                                    <shout as ::hypernodes::__private::In<
                                                        ::hypernodes::__private::I0,
                                                    >>::Ty,
                                                    clean,
                                                    shout,
                                                >::wire_ref(
                                                    {
                                                    &cleaned
                                                }
                                                ))
                                            };
                                            if ::hypernodes::__private::wants_values(
                                                __hypernodes_hooks,
                                            ) {
                                                ::hypernodes::__private::node_values(
                                                    __hypernodes_hooks,
                                                    __hypernodes_scope,
                                                    "shout",
                                                    true,
                                                    &[(
                                                        "loud",
                                                        &(&::hypernodes::__private::Field(
                                                            &__hypernodes_value,
                                                        ))
                                                            .repr()
                                                            as &dyn ::core::fmt::Debug,
                                                    )],
                                                );
                                            }
                                            __hypernodes_calls.leave();
                                            __hypernodes_value
                                        };
                                        if let (
                                            ::core::option::Option::Some(__hypernodes_table),
                                            ::core::option::Option::Some(__hypernodes_k),
                                        ) = (&self.__hypernodes_cache, &__hypernodes_key_3)
                                        {
                                            (__hypernodes_table.put_3)(
                                                &__hypernodes_table.store,
                                                __hypernodes_k,
                                                &__hypernodes_cached,
                                            );
                                        }
                                        __hypernodes_cached
                                    }
                                }
                            };
                            ::core::result::Result::Ok(((loud,), ()))
                        },
                    );
                    match result {
                        ::core::result::Result::Ok(((loud,), ())) => {
                            __hypernodes_col_loud.push(::core::option::Option::Some(loud));
                        }
                        ::core::result::Result::Err(error) => {
                            __hypernodes_failed[__hypernodes_i] = ::core::option::Option::Some(
                                error.at_item(__hypernodes_first + __hypernodes_i),
                            );
                            __hypernodes_col_loud.push(::core::option::Option::None);
                        }
                    }
                }
                __hypernodes_columns.col_loud = __hypernodes_col_loud;
            }
            _ => {}
        }
    }
    fn __hypernodes_finish<
        C: ::hypernodes::__private::Collect<WordsOutputs>,
        H: ::hypernodes::__private::Hooks,
    >(
        &self,
        __hypernodes_hooks: &H,
        __hypernodes_columns: &mut __HypernodesWordsColumns,
        out: &mut C,
    ) -> bool {
        let first = __hypernodes_columns.first;
        let col_word_count = &mut __hypernodes_columns.col_word_count;
        let col_loud = &mut __hypernodes_columns.col_loud;
        let mut go_on = true;
        for (i, failure) in __hypernodes_columns.failed.iter_mut().enumerate() {
            let result = match failure.take() {
                ::core::option::Option::Some(error) => ::core::result::Result::Err(error),
                ::core::option::Option::None => ::core::result::Result::Ok(WordsOutputs {
                    word_count: col_word_count[i]
                        .take()
                        .expect("a live item has every value"),
                    loud: col_loud[i].take().expect("a live item has every value"),
                }),
            };
            ::hypernodes::__private::item_end(
                __hypernodes_hooks,
                &::hypernodes::__private::Scope::map_item(Self::INFO.name, first + i),
                &result,
            );
            if !::hypernodes::__private::Collect::push(out, result) {
                go_on = false;
                break;
            }
        }
        __hypernodes_columns.col_text.clear();
        __hypernodes_columns.col_cleaned.clear();
        __hypernodes_columns.col_tokens.clear();
        __hypernodes_columns.col_word_count.clear();
        __hypernodes_columns.col_loud.clear();
        __hypernodes_columns.failed.clear();
        go_on
    }
}
#[doc = "Inputs of [`Words`]: one field per value no node of the pipeline produces."]
#[allow(dead_code)]
pub struct WordsInputs {
    #[doc = "Read by `clean`."]
    pub text: ::std::string::String,
}
#[doc = "Outputs of [`Words`]: one field per kept output."]
#[allow(dead_code)]
pub struct WordsOutputs {
    #[doc = "Produced by `count`."]
    pub word_count: ::core::primitive::usize,
    #[doc = "Produced by `shout`."]
    pub loud: ::std::string::String,
}
impl ::core::fmt::Debug for WordsInputs {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        #[allow(unused_imports)]
        use ::hypernodes::__private::{ViaDebug as _, ViaTypeName as _};
        ::hypernodes::__private::debug_fields(
            f,
            "WordsInputs",
            "text",
            &[::hypernodes::__private::Repr::Value(&self.text)],
        )
    }
}
impl ::core::fmt::Debug for WordsOutputs {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        #[allow(unused_imports)]
        use ::hypernodes::__private::{ViaDebug as _, ViaTypeName as _};
        ::hypernodes::__private::debug_fields(
            f,
            "WordsOutputs",
            "word_count,loud",
            &[
                ::hypernodes::__private::Repr::Value(&self.word_count),
                ::hypernodes::__private::Repr::Value(&self.loud),
            ],
        )
    }
}
#[doc = "Builds a [`Words`] with factories for its stateful resources and values for its bound inputs."]
pub struct WordsBuilder {
    pipeline: Words,
}
impl Words {
    #[doc = r" A builder to give factories for stateful resources."]
    pub fn builder() -> WordsBuilder {
        WordsBuilder {
            pipeline: Words::new(),
        }
    }
}
impl WordsBuilder {
    #[doc = r" The pipeline."]
    pub fn build(self) -> Words {
        self.pipeline
    }
}
#[doc = "The cache functions of [`Words`]'s nodes; not public API."]
#[doc(hidden)]
#[allow(clippy::type_complexity)]
#[derive(Clone)]
pub struct __HypernodesWordsCache {
    store: ::std::sync::Arc<::hypernodes::__private::DiskCache>,
    get_0: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
    ) -> ::core::option::Option<::std::string::String>,
    get_1: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
    ) -> ::core::option::Option<::std::vec::Vec<::std::string::String>>,
    get_2: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
    ) -> ::core::option::Option<::core::primitive::usize>,
    get_3: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
    ) -> ::core::option::Option<::std::string::String>,
    put_0: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
        &::std::string::String,
    ),
    put_1: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
        &::std::vec::Vec<::std::string::String>,
    ),
    put_2: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
        &::core::primitive::usize,
    ),
    put_3: fn(
        &::hypernodes::__private::DiskCache,
        &::hypernodes::__private::Key,
        &::std::string::String,
    ),
    hash_0_0: fn(
        ::hypernodes::__private::KeyBuilder,
        &::std::string::String,
    ) -> ::core::option::Option<::hypernodes::__private::KeyBuilder>,
    hash_1_0: fn(
        ::hypernodes::__private::KeyBuilder,
        &::std::string::String,
    ) -> ::core::option::Option<::hypernodes::__private::KeyBuilder>,
    hash_2_0: fn(
        ::hypernodes::__private::KeyBuilder,
        &::std::vec::Vec<::std::string::String>,
    ) -> ::core::option::Option<::hypernodes::__private::KeyBuilder>,
    hash_3_0: fn(
        ::hypernodes::__private::KeyBuilder,
        &::std::string::String,
    ) -> ::core::option::Option<::hypernodes::__private::KeyBuilder>,
}
impl<S: ::hypernodes::__private::Store> ::hypernodes::__private::Cacheable<S> for Words
where
    ::hypernodes::__private::Slot<S, ::std::string::String, clean>:
        ::hypernodes::__private::CacheValue<::std::string::String>,
    ::hypernodes::__private::Slot<S, ::std::vec::Vec<::std::string::String>, tokenize>:
        ::hypernodes::__private::CacheValue<::std::vec::Vec<::std::string::String>>,
    ::hypernodes::__private::Slot<S, ::core::primitive::usize, count>:
        ::hypernodes::__private::CacheValue<::core::primitive::usize>,
    ::hypernodes::__private::Slot<S, ::std::string::String, shout>:
        ::hypernodes::__private::CacheValue<::std::string::String>,
    ::hypernodes::__private::Slot<S, ::std::string::String, clean>:
        ::hypernodes::__private::KeyPart<::std::string::String>,
    ::hypernodes::__private::Slot<S, ::std::string::String, tokenize>:
        ::hypernodes::__private::KeyPart<::std::string::String>,
    ::hypernodes::__private::Slot<S, ::std::vec::Vec<::std::string::String>, count>:
        ::hypernodes::__private::KeyPart<::std::vec::Vec<::std::string::String>>,
    ::hypernodes::__private::Slot<S, ::std::string::String, shout>:
        ::hypernodes::__private::KeyPart<::std::string::String>,
{
    fn set_cache(&mut self, store: &::std::sync::Arc<::hypernodes::__private::DiskCache>) {
        self . __hypernodes_cache = :: core :: option :: Option :: Some (__HypernodesWordsCache { store : :: std :: sync :: Arc :: clone (store) , get_0 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , clean > as :: hypernodes :: __private :: CacheValue < :: std :: string :: String >> :: get , get_1 : < :: hypernodes :: __private :: Slot < S , :: std :: vec :: Vec <:: std :: string :: String > , tokenize > as :: hypernodes :: __private :: CacheValue < :: std :: vec :: Vec <:: std :: string :: String > >> :: get , get_2 : < :: hypernodes :: __private :: Slot < S , :: core :: primitive :: usize , count > as :: hypernodes :: __private :: CacheValue < :: core :: primitive :: usize >> :: get , get_3 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , shout > as :: hypernodes :: __private :: CacheValue < :: std :: string :: String >> :: get , put_0 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , clean > as :: hypernodes :: __private :: CacheValue < :: std :: string :: String >> :: put , put_1 : < :: hypernodes :: __private :: Slot < S , :: std :: vec :: Vec <:: std :: string :: String > , tokenize > as :: hypernodes :: __private :: CacheValue < :: std :: vec :: Vec <:: std :: string :: String > >> :: put , put_2 : < :: hypernodes :: __private :: Slot < S , :: core :: primitive :: usize , count > as :: hypernodes :: __private :: CacheValue < :: core :: primitive :: usize >> :: put , put_3 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , shout > as :: hypernodes :: __private :: CacheValue < :: std :: string :: String >> :: put , hash_0_0 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , clean > as :: hypernodes :: __private :: KeyPart < :: std :: string :: String >> :: hash , hash_1_0 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , tokenize > as :: hypernodes :: __private :: KeyPart < :: std :: string :: String >> :: hash , hash_2_0 : < :: hypernodes :: __private :: Slot < S , :: std :: vec :: Vec <:: std :: string :: String > , count > as :: hypernodes :: __private :: KeyPart < :: std :: vec :: Vec <:: std :: string :: String > >> :: hash , hash_3_0 : < :: hypernodes :: __private :: Slot < S , :: std :: string :: String , shout > as :: hypernodes :: __private :: KeyPart < :: std :: string :: String >> :: hash , }) ;
    }
}
impl Words {
    #[doc = r" This pipeline with a cache: each cached node's value for each item is looked up"]
    #[doc = r" first and computed (and stored) only on a miss. Nested pipelines share it."]
    #[doc = r" Needs serde's `Serialize` and `Deserialize` on the values of cached nodes, and"]
    #[doc = r" `Serialize` on the values they read (hashed into their keys)."]
    pub fn with_cache<S: ::hypernodes::__private::Store>(mut self, cache: S) -> Self
    where
        Self: ::hypernodes::__private::Cacheable<S>,
    {
        let store = ::std::sync::Arc::new(::hypernodes::__private::Store::into_disk_cache(cache));
        <Self as ::hypernodes::__private::Cacheable<S>>::set_cache(&mut self, &store);
        self
    }
    #[doc = r" The cache given by `with_cache`, if any (for its counters)."]
    pub fn cache(&self) -> ::core::option::Option<&::hypernodes::__private::DiskCache> {
        ::core::option::Option::map(self.__hypernodes_cache.as_ref(), |table| &*table.store)
    }
}
impl Words {
    #[doc = r" A pipeline ready to run; stateful resources are built on first use, with"]
    #[doc = r" `Stateful::create` (see `builder` to give factories instead)."]
    pub fn new() -> Self {
        Words {
            __hypernodes_cache: ::core::option::Option::None,
            __hypernodes_single: ::core::default::Default::default(),
        }
    }
    #[doc = r" Runs every needed node once, in topological order."]
    #[doc = r""]
    #[doc = r" A node's `Err` or panic stops the run and comes back as an error naming the node."]
    #[doc = r" Stateful resources are built on the first run and kept by the pipeline value."]
    pub fn run(
        &self,
        inputs: WordsInputs,
    ) -> ::core::result::Result<WordsOutputs, ::hypernodes::Error> {
        <Self as ::hypernodes::__private::Plumbing>::__hypernodes_run(
            self,
            &::hypernodes::__private::NoHooks,
            inputs,
        )
    }
    #[doc = r" Runs every item on the default engine (`Parallel`, on"]
    #[doc = r" rayon's global pool), keeping input order; stops at the first error, which names"]
    #[doc = r" the node and the item index. Stateful resources are built once per worker."]
    pub fn map<I>(
        &self,
        items: I,
    ) -> ::core::result::Result<::std::vec::Vec<WordsOutputs>, ::hypernodes::Error>
    where
        I: ::core::iter::IntoIterator<Item = WordsInputs>,
        for<'a> &'a Self: ::hypernodes::__private::MapOn<
            ::hypernodes::__private::Parallel,
            I::IntoIter,
            Inputs = WordsInputs,
            Outputs = WordsOutputs,
        >,
    {
        ::hypernodes::__private::MapOn::map_on(
            self,
            ::hypernodes::__private::Parallel::new(),
            ::core::iter::IntoIterator::into_iter(items),
        )
    }
    #[doc = r" Runs every item on the default engine and returns each item's outcome in input"]
    #[doc = r" order: a failing item never loses the others."]
    pub fn map_results<I>(
        &self,
        items: I,
    ) -> ::std::vec::Vec<::core::result::Result<WordsOutputs, ::hypernodes::Error>>
    where
        I: ::core::iter::IntoIterator<Item = WordsInputs>,
        for<'a> &'a Self: ::hypernodes::__private::MapOn<
            ::hypernodes::__private::Parallel,
            I::IntoIter,
            Inputs = WordsInputs,
            Outputs = WordsOutputs,
        >,
    {
        ::hypernodes::__private::MapOn::map_results_on(
            self,
            ::hypernodes::__private::Parallel::new(),
            ::core::iter::IntoIterator::into_iter(items),
        )
    }
    #[doc = r" This pipeline on `engine`: `p.with_engine(Sequential).map(items)`. The runner"]
    #[doc = r" holds a handle of its own, sharing this pipeline's stateful instances, so it may"]
    #[doc = r" outlive `self` (`let r = P::new().with_engine(e);`)."]
    pub fn with_engine<E: ::hypernodes::__private::Engine>(
        &self,
        engine: E,
    ) -> ::hypernodes::__private::Runner<'static, Self, E> {
        ::hypernodes::__private::Runner::owning(self.__hypernodes_handle(), engine)
    }
    #[doc = r" This pipeline on the default engine, telling `hooks` what happens:"]
    #[doc = r" `p.with_hooks(h).run(inputs)` or `.map(items)`."]
    pub fn with_hooks<H: ::hypernodes::__private::Hooks>(
        &self,
        hooks: H,
    ) -> ::hypernodes::__private::Runner<'static, Self, ::hypernodes::__private::Parallel, H> {
        self.with_engine(::hypernodes::__private::Parallel::new())
            .with_hooks(hooks)
    }
    #[doc = r" Every node's settings on the default engine and where each came from."]
    pub fn plan(&self) -> ::hypernodes::__private::Plan {
        self.with_engine(::hypernodes::__private::Parallel::new())
            .plan()
    }
    #[doc = r" The Arrow schema of the inputs: one field per input, in order, nullable for an"]
    #[doc = r" `Option` (feature `arrow`)."]
    pub fn input_schema() -> ::hypernodes::__private::SchemaRef
    where
        for<'a> &'a Self: ::hypernodes::__private::InputColumns,
    {
        <&Self as ::hypernodes::__private::InputColumns>::input_schema()
    }
    #[doc = r" The Arrow schema of the outputs, like `input_schema`."]
    pub fn output_schema() -> ::hypernodes::__private::SchemaRef
    where
        for<'a> &'a Self: ::hypernodes::__private::OutputColumns,
    {
        <&Self as ::hypernodes::__private::OutputColumns>::output_schema()
    }
    #[doc = r" Runs one item per row of `batch` on the default engine and returns `batch` with the"]
    #[doc = r" outputs as columns after its own; see `Runner::map_batch`."]
    pub fn map_batch(
        &self,
        batch: &::hypernodes::__private::RecordBatch,
    ) -> ::core::result::Result<::hypernodes::__private::RecordBatch, ::hypernodes::Error>
    where
        for<'a> &'a Self: ::hypernodes::__private::Batches,
    {
        <&Self as ::hypernodes::__private::Batches>::map_batch(self, batch)
    }
    #[doc = r" Runs every row of a dataset `source` (Parquet, IPC, JSON Lines or CSV files) on the"]
    #[doc = r" default engine and writes the results to `sink`, part by part; see"]
    #[doc = r" `Runner::map_dataset`."]
    pub fn map_dataset(
        &self,
        source: ::hypernodes::__private::Source,
        sink: ::hypernodes::__private::Sink,
    ) -> ::core::result::Result<::hypernodes::__private::DatasetReport, ::hypernodes::Error>
    where
        for<'a> &'a Self: ::hypernodes::__private::Datasets,
    {
        <&Self as ::hypernodes::__private::Datasets>::map_dataset(self, source, sink)
    }
    #[doc(hidden)]
    #[inline(always)]
    #[allow(
        unused_braces,
        unused_variables,
        clippy::too_many_arguments,
        clippy::let_unit_value,
        clippy::unit_arg,
        clippy::redundant_closure
    )]
    pub fn __hypernodes_call<
        const MASK: u64,
        H: ::hypernodes::__private::Hooks,
        A0: ::hypernodes::__private::Arg<::std::string::String>,
    >(
        &self,
        __hypernodes_shared: &__HypernodesWordsShared,
        __hypernodes_worker: usize,
        __hypernodes_hooks: &H,
        __hypernodes_scope: &::hypernodes::__private::Scope<'_>,
        __hypernodes_running: &::hypernodes::__private::Running<'_>,
        text: A0,
    ) -> ::core::result::Result<
        (
            ::core::option::Option<::core::primitive::usize>,
            ::core::option::Option<::std::string::String>,
        ),
        ::hypernodes::Error,
    > {
        #[allow(unused_imports)]
        use ::hypernodes::__private::{
            checkout as __hypernodes_checkout, clone_for as __hypernodes_clone_for,
            clone_for_retry as __hypernodes_clone_for_retry, retrying as __hypernodes_retrying,
            ArmWire as __HypernodesArmWire, FieldWire as __HypernodesFieldWire,
            SameArmOutput as __HypernodesSameArmOutput, SameInput as __HypernodesSameInput,
            SameStateful as __HypernodesSameStateful, Wire as __HypernodesWire,
        };
        #[allow(unused_imports)]
        use ::hypernodes::__private::{ViaDebug as _, ViaTypeName as _};
        let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
            __hypernodes_running,
            __hypernodes_hooks,
            __hypernodes_scope,
        );
        let __hypernodes_key_0: ::core::option::Option<::hypernodes::__private::Key> =
            match &self.__hypernodes_cache {
                ::core::option::Option::Some(__hypernodes_table) => (|| {
                    let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                        <clean as ::hypernodes::__private::NodeCode>::CODE,
                        0u64,
                    );
                    let __hypernodes_builder = (__hypernodes_table.hash_0_0)(
                        __hypernodes_builder,
                        ::hypernodes::__private::Arg::get(&text),
                    )?;
                    ::core::option::Option::Some(__hypernodes_builder.finish())
                })(),
                ::core::option::Option::None => ::core::option::Option::None,
            };
        let cleaned = {
            match ::hypernodes::__private::cache_lookup(
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| &*__hypernodes_table.store,
                ),
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| __hypernodes_table.get_0,
                ),
                &__hypernodes_key_0,
                __hypernodes_hooks,
                __hypernodes_scope,
                "clean",
            ) {
                ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                ::core::option::Option::None => {
                    let __hypernodes_cached = {
                        __hypernodes_calls.enter("clean", 0usize);
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "clean",
                                false,
                                &[(
                                    "text",
                                    &(&::hypernodes::__private::Field(
                                        ::hypernodes::__private::Arg::get(&text),
                                    ))
                                        .repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        let __hypernodes_value =
                            { clean(::hypernodes::__private::Arg::get(&text)) };
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "clean",
                                true,
                                &[(
                                    "cleaned",
                                    &(&::hypernodes::__private::Field(&__hypernodes_value)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        __hypernodes_calls.leave();
                        __hypernodes_value
                    };
                    if let (
                        ::core::option::Option::Some(__hypernodes_table),
                        ::core::option::Option::Some(__hypernodes_k),
                    ) = (&self.__hypernodes_cache, &__hypernodes_key_0)
                    {
                        (__hypernodes_table.put_0)(
                            &__hypernodes_table.store,
                            __hypernodes_k,
                            &__hypernodes_cached,
                        );
                    }
                    __hypernodes_cached
                }
            }
        };
        let (tokens, __hypernodes_key_1) = if ::hypernodes::__private::needs(MASK, 1u64) {
            let __hypernodes_key_1: ::core::option::Option<::hypernodes::__private::Key> =
                match &self.__hypernodes_cache {
                    ::core::option::Option::Some(__hypernodes_table) => (|| {
                        let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                            <tokenize as ::hypernodes::__private::NodeCode>::CODE,
                            0u64,
                        );
                        let __hypernodes_builder = __hypernodes_builder
                            .upstream(::core::option::Option::as_ref(&__hypernodes_key_0)?);
                        ::core::option::Option::Some(__hypernodes_builder.finish())
                    })(),
                    ::core::option::Option::None => ::core::option::Option::None,
                };
            let tokens = {
                match ::hypernodes::__private::cache_lookup(
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| &*__hypernodes_table.store,
                    ),
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| __hypernodes_table.get_1,
                    ),
                    &__hypernodes_key_1,
                    __hypernodes_hooks,
                    __hypernodes_scope,
                    "tokenize",
                ) {
                    ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                    ::core::option::Option::None => {
                        let __hypernodes_cached = {
                            __hypernodes_calls.enter("tokenize", 1usize);
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "tokenize",
                                    false,
                                    &[(
                                        "cleaned",
                                        &(&::hypernodes::__private::Field(&cleaned)).repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            let __hypernodes_value = { tokenize(&cleaned) };
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "tokenize",
                                    true,
                                    &[(
                                        "tokens",
                                        &(&::hypernodes::__private::Field(&__hypernodes_value))
                                            .repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            __hypernodes_calls.leave();
                            __hypernodes_value
                        };
                        if let (
                            ::core::option::Option::Some(__hypernodes_table),
                            ::core::option::Option::Some(__hypernodes_k),
                        ) = (&self.__hypernodes_cache, &__hypernodes_key_1)
                        {
                            (__hypernodes_table.put_1)(
                                &__hypernodes_table.store,
                                __hypernodes_k,
                                &__hypernodes_cached,
                            );
                        }
                        __hypernodes_cached
                    }
                }
            };
            (::core::option::Option::Some(tokens), __hypernodes_key_1)
        } else {
            (::core::option::Option::None, ::core::option::Option::None)
        };
        let (word_count, __hypernodes_key_2) = if ::hypernodes::__private::needs(MASK, 1u64) {
            let __hypernodes_key_2: ::core::option::Option<::hypernodes::__private::Key> =
                match &self.__hypernodes_cache {
                    ::core::option::Option::Some(__hypernodes_table) => (|| {
                        let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                            <count as ::hypernodes::__private::NodeCode>::CODE,
                            0u64,
                        );
                        let __hypernodes_builder = __hypernodes_builder
                            .upstream(::core::option::Option::as_ref(&__hypernodes_key_1)?);
                        ::core::option::Option::Some(__hypernodes_builder.finish())
                    })(),
                    ::core::option::Option::None => ::core::option::Option::None,
                };
            let word_count = {
                match ::hypernodes::__private::cache_lookup(
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| &*__hypernodes_table.store,
                    ),
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| __hypernodes_table.get_2,
                    ),
                    &__hypernodes_key_2,
                    __hypernodes_hooks,
                    __hypernodes_scope,
                    "count",
                ) {
                    ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                    ::core::option::Option::None => {
                        let __hypernodes_cached = {
                            __hypernodes_calls.enter("count", 2usize);
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "count",
                                    false,
                                    &[(
                                        "tokens",
                                        &(&::hypernodes::__private::Field(
                                            ::hypernodes::__private::present_ref(&tokens),
                                        ))
                                            .repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            let __hypernodes_value =
                                { count(::hypernodes::__private::present_ref(&tokens)) };
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "count",
                                    true,
                                    &[(
                                        "word_count",
                                        &(&::hypernodes::__private::Field(&__hypernodes_value))
                                            .repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            __hypernodes_calls.leave();
                            __hypernodes_value
                        };
                        if let (
                            ::core::option::Option::Some(__hypernodes_table),
                            ::core::option::Option::Some(__hypernodes_k),
                        ) = (&self.__hypernodes_cache, &__hypernodes_key_2)
                        {
                            (__hypernodes_table.put_2)(
                                &__hypernodes_table.store,
                                __hypernodes_k,
                                &__hypernodes_cached,
                            );
                        }
                        __hypernodes_cached
                    }
                }
            };
            (::core::option::Option::Some(word_count), __hypernodes_key_2)
        } else {
            (::core::option::Option::None, ::core::option::Option::None)
        };
        let (loud, __hypernodes_key_3) = if ::hypernodes::__private::needs(MASK, 2u64) {
            let __hypernodes_key_3: ::core::option::Option<::hypernodes::__private::Key> =
                match &self.__hypernodes_cache {
                    ::core::option::Option::Some(__hypernodes_table) => (|| {
                        let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                            <shout as ::hypernodes::__private::NodeCode>::CODE,
                            0u64,
                        );
                        let __hypernodes_builder = __hypernodes_builder
                            .upstream(::core::option::Option::as_ref(&__hypernodes_key_0)?);
                        ::core::option::Option::Some(__hypernodes_builder.finish())
                    })(),
                    ::core::option::Option::None => ::core::option::Option::None,
                };
            let loud = {
                match ::hypernodes::__private::cache_lookup(
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| &*__hypernodes_table.store,
                    ),
                    ::core::option::Option::map(
                        self.__hypernodes_cache.as_ref(),
                        |__hypernodes_table| __hypernodes_table.get_3,
                    ),
                    &__hypernodes_key_3,
                    __hypernodes_hooks,
                    __hypernodes_scope,
                    "shout",
                ) {
                    ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                    ::core::option::Option::None => {
                        let __hypernodes_cached = {
                            __hypernodes_calls.enter("shout", 3usize);
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "shout",
                                    false,
                                    &[(
                                        "cleaned",
                                        &(&::hypernodes::__private::Field(&cleaned)).repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            let __hypernodes_value = {
                                shout(__HypernodesWire::<
                                    <shout as ::hypernodes::__private::In<
                                        ::hypernodes::__private::I0,
                                    >>::Ty,
                                    clean,
                                    shout,
                                >::wire_ref({ &cleaned }))
                            };
                            if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                                ::hypernodes::__private::node_values(
                                    __hypernodes_hooks,
                                    __hypernodes_scope,
                                    "shout",
                                    true,
                                    &[(
                                        "loud",
                                        &(&::hypernodes::__private::Field(&__hypernodes_value))
                                            .repr()
                                            as &dyn ::core::fmt::Debug,
                                    )],
                                );
                            }
                            __hypernodes_calls.leave();
                            __hypernodes_value
                        };
                        if let (
                            ::core::option::Option::Some(__hypernodes_table),
                            ::core::option::Option::Some(__hypernodes_k),
                        ) = (&self.__hypernodes_cache, &__hypernodes_key_3)
                        {
                            (__hypernodes_table.put_3)(
                                &__hypernodes_table.store,
                                __hypernodes_k,
                                &__hypernodes_cached,
                            );
                        }
                        __hypernodes_cached
                    }
                }
            };
            (::core::option::Option::Some(loud), __hypernodes_key_3)
        } else {
            (::core::option::Option::None, ::core::option::Option::None)
        };
        ::core::result::Result::Ok((word_count, loud))
    }
    #[doc(hidden)]
    #[inline(never)]
    #[allow(
        unused_braces,
        unused_variables,
        clippy::too_many_arguments,
        clippy::let_unit_value,
        clippy::unit_arg,
        clippy::redundant_closure
    )]
    fn __hypernodes_item_body<H: ::hypernodes::__private::Hooks>(
        &self,
        __hypernodes_shared: &__HypernodesWordsShared,
        __hypernodes_worker: usize,
        __hypernodes_hooks: &H,
        __hypernodes_scope: &::hypernodes::__private::Scope<'_>,
        __hypernodes_running: &::hypernodes::__private::Running<'_>,
        inputs: WordsInputs,
    ) -> ::core::result::Result<WordsOutputs, ::hypernodes::Error> {
        let WordsInputs { text: text } = inputs;
        #[allow(unused_imports)]
        use ::hypernodes::__private::{
            checkout as __hypernodes_checkout, clone_for as __hypernodes_clone_for,
            clone_for_retry as __hypernodes_clone_for_retry, retrying as __hypernodes_retrying,
            ArmWire as __HypernodesArmWire, FieldWire as __HypernodesFieldWire,
            SameArmOutput as __HypernodesSameArmOutput, SameInput as __HypernodesSameInput,
            SameStateful as __HypernodesSameStateful, Wire as __HypernodesWire,
        };
        #[allow(unused_imports)]
        use ::hypernodes::__private::{ViaDebug as _, ViaTypeName as _};
        let __hypernodes_calls = ::hypernodes::__private::NodeCalls::new(
            __hypernodes_running,
            __hypernodes_hooks,
            __hypernodes_scope,
        );
        let __hypernodes_key_0: ::core::option::Option<::hypernodes::__private::Key> =
            match &self.__hypernodes_cache {
                ::core::option::Option::Some(__hypernodes_table) => (|| {
                    let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                        <clean as ::hypernodes::__private::NodeCode>::CODE,
                        0u64,
                    );
                    let __hypernodes_builder =
                        (__hypernodes_table.hash_0_0)(__hypernodes_builder, &text)?;
                    ::core::option::Option::Some(__hypernodes_builder.finish())
                })(),
                ::core::option::Option::None => ::core::option::Option::None,
            };
        let cleaned = {
            match ::hypernodes::__private::cache_lookup(
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| &*__hypernodes_table.store,
                ),
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| __hypernodes_table.get_0,
                ),
                &__hypernodes_key_0,
                __hypernodes_hooks,
                __hypernodes_scope,
                "clean",
            ) {
                ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                ::core::option::Option::None => {
                    let __hypernodes_cached = {
                        __hypernodes_calls.enter("clean", 0usize);
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "clean",
                                false,
                                &[(
                                    "text",
                                    &(&::hypernodes::__private::Field(&text)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        let __hypernodes_value = { clean(&text) };
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "clean",
                                true,
                                &[(
                                    "cleaned",
                                    &(&::hypernodes::__private::Field(&__hypernodes_value)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        __hypernodes_calls.leave();
                        __hypernodes_value
                    };
                    if let (
                        ::core::option::Option::Some(__hypernodes_table),
                        ::core::option::Option::Some(__hypernodes_k),
                    ) = (&self.__hypernodes_cache, &__hypernodes_key_0)
                    {
                        (__hypernodes_table.put_0)(
                            &__hypernodes_table.store,
                            __hypernodes_k,
                            &__hypernodes_cached,
                        );
                    }
                    __hypernodes_cached
                }
            }
        };
        let __hypernodes_key_1: ::core::option::Option<::hypernodes::__private::Key> =
            match &self.__hypernodes_cache {
                ::core::option::Option::Some(__hypernodes_table) => (|| {
                    let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                        <tokenize as ::hypernodes::__private::NodeCode>::CODE,
                        0u64,
                    );
                    let __hypernodes_builder = __hypernodes_builder
                        .upstream(::core::option::Option::as_ref(&__hypernodes_key_0)?);
                    ::core::option::Option::Some(__hypernodes_builder.finish())
                })(),
                ::core::option::Option::None => ::core::option::Option::None,
            };
        let tokens = {
            match ::hypernodes::__private::cache_lookup(
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| &*__hypernodes_table.store,
                ),
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| __hypernodes_table.get_1,
                ),
                &__hypernodes_key_1,
                __hypernodes_hooks,
                __hypernodes_scope,
                "tokenize",
            ) {
                ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                ::core::option::Option::None => {
                    let __hypernodes_cached = {
                        __hypernodes_calls.enter("tokenize", 1usize);
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "tokenize",
                                false,
                                &[(
                                    "cleaned",
                                    &(&::hypernodes::__private::Field(&cleaned)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        let __hypernodes_value = { tokenize(&cleaned) };
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "tokenize",
                                true,
                                &[(
                                    "tokens",
                                    &(&::hypernodes::__private::Field(&__hypernodes_value)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        __hypernodes_calls.leave();
                        __hypernodes_value
                    };
                    if let (
                        ::core::option::Option::Some(__hypernodes_table),
                        ::core::option::Option::Some(__hypernodes_k),
                    ) = (&self.__hypernodes_cache, &__hypernodes_key_1)
                    {
                        (__hypernodes_table.put_1)(
                            &__hypernodes_table.store,
                            __hypernodes_k,
                            &__hypernodes_cached,
                        );
                    }
                    __hypernodes_cached
                }
            }
        };
        let __hypernodes_key_2: ::core::option::Option<::hypernodes::__private::Key> =
            match &self.__hypernodes_cache {
                ::core::option::Option::Some(__hypernodes_table) => (|| {
                    let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                        <count as ::hypernodes::__private::NodeCode>::CODE,
                        0u64,
                    );
                    let __hypernodes_builder = __hypernodes_builder
                        .upstream(::core::option::Option::as_ref(&__hypernodes_key_1)?);
                    ::core::option::Option::Some(__hypernodes_builder.finish())
                })(),
                ::core::option::Option::None => ::core::option::Option::None,
            };
        let word_count = {
            match ::hypernodes::__private::cache_lookup(
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| &*__hypernodes_table.store,
                ),
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| __hypernodes_table.get_2,
                ),
                &__hypernodes_key_2,
                __hypernodes_hooks,
                __hypernodes_scope,
                "count",
            ) {
                ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                ::core::option::Option::None => {
                    let __hypernodes_cached = {
                        __hypernodes_calls.enter("count", 2usize);
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "count",
                                false,
                                &[(
                                    "tokens",
                                    &(&::hypernodes::__private::Field(&tokens)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        let __hypernodes_value = { count(&tokens) };
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "count",
                                true,
                                &[(
                                    "word_count",
                                    &(&::hypernodes::__private::Field(&__hypernodes_value)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        __hypernodes_calls.leave();
                        __hypernodes_value
                    };
                    if let (
                        ::core::option::Option::Some(__hypernodes_table),
                        ::core::option::Option::Some(__hypernodes_k),
                    ) = (&self.__hypernodes_cache, &__hypernodes_key_2)
                    {
                        (__hypernodes_table.put_2)(
                            &__hypernodes_table.store,
                            __hypernodes_k,
                            &__hypernodes_cached,
                        );
                    }
                    __hypernodes_cached
                }
            }
        };
        let __hypernodes_key_3: ::core::option::Option<::hypernodes::__private::Key> =
            match &self.__hypernodes_cache {
                ::core::option::Option::Some(__hypernodes_table) => (|| {
                    let __hypernodes_builder = ::hypernodes::__private::Key::builder(
                        <shout as ::hypernodes::__private::NodeCode>::CODE,
                        0u64,
                    );
                    let __hypernodes_builder = __hypernodes_builder
                        .upstream(::core::option::Option::as_ref(&__hypernodes_key_0)?);
                    ::core::option::Option::Some(__hypernodes_builder.finish())
                })(),
                ::core::option::Option::None => ::core::option::Option::None,
            };
        let loud = {
            match ::hypernodes::__private::cache_lookup(
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| &*__hypernodes_table.store,
                ),
                ::core::option::Option::map(
                    self.__hypernodes_cache.as_ref(),
                    |__hypernodes_table| __hypernodes_table.get_3,
                ),
                &__hypernodes_key_3,
                __hypernodes_hooks,
                __hypernodes_scope,
                "shout",
            ) {
                ::core::option::Option::Some(__hypernodes_cached) => __hypernodes_cached,
                ::core::option::Option::None => {
                    let __hypernodes_cached = {
                        __hypernodes_calls.enter("shout", 3usize);
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "shout",
                                false,
                                &[(
                                    "cleaned",
                                    &(&::hypernodes::__private::Field(&cleaned)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        let __hypernodes_value = {
                            shout(__HypernodesWire::<
                                <shout as ::hypernodes::__private::In<
                                    ::hypernodes::__private::I0,
                                >>::Ty,
                                clean,
                                shout,
                            >::wire_ref({ &cleaned }))
                        };
                        if ::hypernodes::__private::wants_values(__hypernodes_hooks) {
                            ::hypernodes::__private::node_values(
                                __hypernodes_hooks,
                                __hypernodes_scope,
                                "shout",
                                true,
                                &[(
                                    "loud",
                                    &(&::hypernodes::__private::Field(&__hypernodes_value)).repr()
                                        as &dyn ::core::fmt::Debug,
                                )],
                            );
                        }
                        __hypernodes_calls.leave();
                        __hypernodes_value
                    };
                    if let (
                        ::core::option::Option::Some(__hypernodes_table),
                        ::core::option::Option::Some(__hypernodes_k),
                    ) = (&self.__hypernodes_cache, &__hypernodes_key_3)
                    {
                        (__hypernodes_table.put_3)(
                            &__hypernodes_table.store,
                            __hypernodes_k,
                            &__hypernodes_cached,
                        );
                    }
                    __hypernodes_cached
                }
            }
        };
        ::core::result::Result::Ok(WordsOutputs {
            word_count: word_count,
            loud: loud,
        })
    }
    #[doc = r" The pipeline's structure, generated at compile time."]
    pub const INFO: ::hypernodes::__private::PipelineInfo = ::hypernodes::__private::PipelineInfo {
        name: "Words",
        order: &["clean", "tokenize", "count", "shout"],
        inputs: &["text"],
        outputs: &["word_count", "loud"],
        bound: &[],
        nodes: ::hypernodes::__private::NodeTable::packed(
            "clean:text>cleaned;tokenize:cleaned>tokens;count:tokens>word_count;shout:cleaned>loud",
            &[],
        ),
        config: ::hypernodes::__private::NodeConfig::BUILTIN,
        branches: &[],
        fields: &[],
    };
}
#[doc = r" A copy sharing the stateful factories, bound values and cache (each copy builds its"]
#[doc = r" own stateful instances when it runs)."]
impl ::core::clone::Clone for Words {
    fn clone(&self) -> Self {
        Words {
            __hypernodes_cache: ::core::clone::Clone::clone(&self.__hypernodes_cache),
            __hypernodes_single: ::core::default::Default::default(),
        }
    }
}
impl Words {
    #[doc = r" A copy that also shares the stateful instances already built: what an owned"]
    #[doc = r" runner holds, so it runs exactly as the pipeline it came from would."]
    #[doc(hidden)]
    pub fn __hypernodes_handle(&self) -> Self {
        Words {
            __hypernodes_cache: ::core::clone::Clone::clone(&self.__hypernodes_cache),
            __hypernodes_single: ::core::clone::Clone::clone(&self.__hypernodes_single),
        }
    }
}
impl ::core::default::Default for Words {
    fn default() -> Self {
        Self::new()
    }
}
impl ::hypernodes::Pipeline for Words {
    type Inputs = WordsInputs;
    type Outputs = WordsOutputs;
    const INFO: ::hypernodes::__private::PipelineInfo = Words::INFO;
    fn run(
        &self,
        inputs: WordsInputs,
    ) -> ::core::result::Result<WordsOutputs, ::hypernodes::Error> {
        Words::run(self, inputs)
    }
}
impl ::hypernodes::__private::Plumbing for Words {
    type ItemInputs = WordsInputs;
    type ItemOutputs = WordsOutputs;
    const NAME: &'static str = "Words";
    const FIRST_ASYNC: ::core::option::Option<&'static str> = ::core::option::Option::None;
    type Scratch = ();
    type Shared = __HypernodesWordsShared;
    type InputFields = (::std::string::String, ());
    type OutputFields = (::core::primitive::usize, (::std::string::String, ()));
    #[inline]
    #[allow(clippy::unused_unit)]
    fn __hypernodes_inputs_to_fields(value: WordsInputs) -> Self::InputFields {
        let WordsInputs { text: text } = value;
        (text, ())
    }
    #[inline]
    fn __hypernodes_inputs_from_fields(fields: Self::InputFields) -> WordsInputs {
        let (text, ()) = fields;
        WordsInputs { text: text }
    }
    #[inline]
    #[allow(clippy::unused_unit)]
    fn __hypernodes_outputs_to_fields(value: WordsOutputs) -> Self::OutputFields {
        let WordsOutputs {
            word_count: word_count,
            loud: loud,
        } = value;
        (word_count, (loud, ()))
    }
    #[inline]
    fn __hypernodes_outputs_from_fields(fields: Self::OutputFields) -> WordsOutputs {
        let (word_count, (loud, ())) = fields;
        WordsOutputs {
            word_count: word_count,
            loud: loud,
        }
    }
    type Slots<'a> = (
        ::hypernodes::__private::InputSlot<'a, ::std::string::String>,
        (),
    );
    fn __hypernodes_identity(&self) -> usize {
        ::hypernodes::__private::SingleCell::identity(&self.__hypernodes_single)
    }
    fn __hypernodes_shared(&self, plan: &::hypernodes::__private::Plan) -> __HypernodesWordsShared {
        __HypernodesWordsShared {
            __hypernodes_limits: ::hypernodes::__private::Limiters::new(plan),
        }
    }
    fn __hypernodes_run<H: ::hypernodes::__private::Hooks>(
        &self,
        __hypernodes_hooks: &H,
        inputs: WordsInputs,
    ) -> ::core::result::Result<WordsOutputs, ::hypernodes::Error> {
        ::hypernodes::__private::can_block(
            <Self as ::hypernodes::__private::Plumbing>::FIRST_ASYNC,
        )?;
        let __hypernodes_scope = ::hypernodes::__private::Scope::root("Words");
        ::hypernodes::__private::hooked_run(__hypernodes_hooks, &__hypernodes_scope, || {
            let __hypernodes_shared = ::hypernodes::__private::SingleCell::shared(
                &self.__hypernodes_single,
                &Self::INFO,
                |plan| <Self as ::hypernodes::__private::Plumbing>::__hypernodes_shared(self, plan),
            )?;
            <Self as ::hypernodes::__private::Plumbing>::__hypernodes_item(
                self,
                __hypernodes_shared,
                0,
                __hypernodes_hooks,
                &__hypernodes_scope,
                inputs,
            )
        })
    }
    #[inline]
    fn __hypernodes_item<H: ::hypernodes::__private::Hooks>(
        &self,
        __hypernodes_shared: &__HypernodesWordsShared,
        __hypernodes_worker: usize,
        __hypernodes_hooks: &H,
        __hypernodes_scope: &::hypernodes::__private::Scope<'_>,
        inputs: WordsInputs,
    ) -> ::core::result::Result<WordsOutputs, ::hypernodes::Error> {
        let __hypernodes_running_cell =
            ::hypernodes::__private::Running::new(&__hypernodes_shared.__hypernodes_limits);
        ::hypernodes::__private::run_catching(&__hypernodes_running_cell, || {
            self.__hypernodes_item_body(
                __hypernodes_shared,
                __hypernodes_worker,
                __hypernodes_hooks,
                __hypernodes_scope,
                &__hypernodes_running_cell,
                inputs,
            )
        })
    }
}
impl ::hypernodes::__private::Types for Words {
    type In = (::std::string::String,);
    type Out = (::core::primitive::usize, ::std::string::String);
}
#[doc(hidden)]
#[allow(non_snake_case)]
pub mod __hypernodes_meta_Words_ebe4ba38a187b26c {
    #[doc(hidden)]
    #[macro_export]
    macro_rules ! __hypernodes_node_Words_ebe4ba38a187b26c { (@ hypernodes_chain_v13 $ ctx : tt [$ ($ done : tt) *] $ current : tt [[$ ($ next : tt) *] $ ($ rest : tt) *]) => { $ ($ next) *! { @ hypernodes_chain_v13 $ ctx [$ ($ done) * ($ current { name = Words , vis = public , params = [text : value] , outputs = [word_count , loud] , kind = pipeline , fallible = true , cached = false , needs = [3] })] [$ ($ next) *] [$ ($ rest) *] } } ; ($ ($ other : tt) *) => { :: core :: compile_error ! { "node `Words` was compiled by another version of hypernodes-macros; rebuild it with the version the pipeline uses" } } ; }
    pub use __hypernodes_node_Words_ebe4ba38a187b26c as m;
}
#[doc(hidden)]
#[allow(unused_imports)]
pub use __hypernodes_meta_Words_ebe4ba38a187b26c::m as Words;
