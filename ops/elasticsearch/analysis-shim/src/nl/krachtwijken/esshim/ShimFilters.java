package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.bg.BulgarianStemFilter;
import org.apache.lucene.analysis.bn.BengaliStemFilter;
import org.apache.lucene.analysis.br.BrazilianStemFilter;
import org.apache.lucene.analysis.ckb.SoraniStemFilter;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.cz.CzechStemFilter;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanMinimalStemFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.el.GreekStemFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.es.SpanishPluralStemFilter;
import org.apache.lucene.analysis.fa.PersianStemFilter;
import org.apache.lucene.analysis.fi.FinnishLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.gl.GalicianMinimalStemFilter;
import org.apache.lucene.analysis.gl.GalicianStemFilter;
import org.apache.lucene.analysis.hi.HindiStemFilter;
import org.apache.lucene.analysis.hu.HungarianLightStemFilter;
import org.apache.lucene.analysis.id.IndonesianStemFilter;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.lv.LatvianStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeepWordFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.miscellaneous.EmptyTokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.no.NorwegianLightStemFilter;
import org.apache.lucene.analysis.no.NorwegianLightStemFilterFactory;
import org.apache.lucene.analysis.no.NorwegianMinimalStemFilter;
import org.apache.lucene.analysis.no.NorwegianMinimalStemFilterFactory;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.pt.PortugueseMinimalStemFilter;
import org.apache.lucene.analysis.pt.PortugueseStemFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.ru.RussianLightStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.sv.SwedishLightStemFilter;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Token filter types normally provided by analysis-common. */
final class ShimFilters {

    private ShimFilters() {}

    static TokenFilterFactory filter(String name, Function<TokenStream, TokenStream> f) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }
        };
    }

    /** A filter that is also applied to normalizers / multi-term queries (keyword normalizer, wildcard...). */
    static TokenFilterFactory normalizing(String name, Function<TokenStream, TokenStream> f, Function<TokenStream, TokenStream> norm) {
        return new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }

            @Override
            public TokenStream normalize(TokenStream ts) {
                return norm.apply(ts);
            }
        };
    }

    // ------------------------------------------------------------------ normalisation

    static TokenFilterFactory asciifolding(IndexSettings is, Environment env, String name, Settings s) {
        boolean preserve = s.getAsBoolean("preserve_original", false);
        // normalisation must yield a single token, so it never preserves the original
        return normalizing(name, ts -> new ASCIIFoldingFilter(ts, preserve), ts -> new ASCIIFoldingFilter(ts, false));
    }

    static TokenFilterFactory lowercase(IndexSettings is, Environment env, String name, Settings s) {
        String lang = s.get("language");
        Function<TokenStream, TokenStream> f;
        if (lang == null) {
            f = LowerCaseFilter::new;
        } else {
            f = switch (lang.toLowerCase(Locale.ROOT)) {
                case "greek" -> GreekLowerCaseFilter::new;
                case "irish" -> IrishLowerCaseFilter::new;
                case "turkish" -> TurkishLowerCaseFilter::new;
                default -> throw new IllegalArgumentException("language [" + lang + "] not support for lower case");
            };
        }
        return normalizing(name, f, f);
    }

    static TokenFilterFactory uppercase(IndexSettings is, Environment env, String name, Settings s) {
        return normalizing(name, UpperCaseFilter::new, UpperCaseFilter::new);
    }

    static TokenFilterFactory decimalDigit(IndexSettings is, Environment env, String name, Settings s) {
        return normalizing(name, DecimalDigitFilter::new, DecimalDigitFilter::new);
    }

    static TokenFilterFactory apostrophe(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, ApostropheFilter::new);
    }

    static TokenFilterFactory classic(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, ClassicFilter::new);
    }

    static TokenFilterFactory elision(IndexSettings is, Environment env, String name, Settings s) {
        CharArraySet articles = Analysis.parseArticles(env, s);
        if (articles == null) {
            articles = FrenchAnalyzer.DEFAULT_ARTICLES;
        }
        final CharArraySet a = articles;
        return normalizing(name, ts -> new ElisionFilter(ts, a), ts -> new ElisionFilter(ts, a));
    }

    // ------------------------------------------------------------------ stemming

    static TokenFilterFactory stemmer(IndexSettings is, Environment env, String name, Settings s) {
        String language = s.get("language", s.get("name", "porter"));
        // fail at index creation for unknown languages, like Elasticsearch
        stem(language, new EmptyTokenStream());
        return filter(name, ts -> stem(language, ts));
    }

    static TokenStream stem(String language, TokenStream ts) {
        String l = language.toLowerCase(Locale.ROOT).replace("_", "");
        return switch (l) {
            case "arabic" -> new ArabicStemFilter(ts);
            case "armenian" -> new SnowballFilter(ts, "Armenian");
            case "basque" -> new SnowballFilter(ts, "Basque");
            case "bengali" -> new BengaliStemFilter(ts);
            case "brazilian" -> new BrazilianStemFilter(ts);
            case "bulgarian" -> new BulgarianStemFilter(ts);
            case "catalan" -> new SnowballFilter(ts, "Catalan");
            case "czech" -> new CzechStemFilter(ts);
            case "danish" -> new SnowballFilter(ts, "Danish");
            case "dutch" -> new SnowballFilter(ts, "Dutch");
            case "dutchkp", "kp" -> new SnowballFilter(ts, "Kp");
            case "english", "porter" -> new PorterStemFilter(ts);
            case "lightenglish", "kstem" -> new KStemFilter(ts);
            case "lovins" -> new SnowballFilter(ts, "Lovins");
            case "porter2" -> new SnowballFilter(ts, "English");
            case "minimalenglish" -> new EnglishMinimalStemFilter(ts);
            case "possessiveenglish" -> new EnglishPossessiveFilter(ts);
            case "estonian" -> new SnowballFilter(ts, "Estonian");
            case "finnish" -> new SnowballFilter(ts, "Finnish");
            case "lightfinish", "lightfinnish" -> new FinnishLightStemFilter(ts);
            case "french" -> new SnowballFilter(ts, "French");
            case "lightfrench" -> new FrenchLightStemFilter(ts);
            case "minimalfrench" -> new FrenchMinimalStemFilter(ts);
            case "galician" -> new GalicianStemFilter(ts);
            case "minimalgalician" -> new GalicianMinimalStemFilter(ts);
            case "german" -> new SnowballFilter(ts, "German");
            case "german2" -> new SnowballFilter(ts, "German2");
            case "lightgerman" -> new GermanLightStemFilter(ts);
            case "minimalgerman" -> new GermanMinimalStemFilter(ts);
            case "greek" -> new GreekStemFilter(ts);
            case "hindi" -> new HindiStemFilter(ts);
            case "hungarian" -> new SnowballFilter(ts, "Hungarian");
            case "lighthungarian" -> new HungarianLightStemFilter(ts);
            case "indonesian" -> new IndonesianStemFilter(ts);
            case "irish" -> new SnowballFilter(ts, "Irish");
            case "italian" -> new SnowballFilter(ts, "Italian");
            case "lightitalian" -> new ItalianLightStemFilter(ts);
            case "latvian" -> new LatvianStemFilter(ts);
            case "lithuanian" -> new SnowballFilter(ts, "Lithuanian");
            case "norwegian" -> new SnowballFilter(ts, "Norwegian");
            case "lightnorwegian" -> new NorwegianLightStemFilter(ts);
            case "minimalnorwegian" -> new NorwegianMinimalStemFilter(ts);
            case "lightnynorsk" -> new NorwegianLightStemFilterFactory(new HashMap<>(Map.of("variant", "nn"))).create(ts);
            case "minimalnynorsk" -> new NorwegianMinimalStemFilterFactory(new HashMap<>(Map.of("variant", "nn"))).create(ts);
            case "persian" -> new PersianStemFilter(ts);
            case "portuguese" -> new SnowballFilter(ts, "Portuguese");
            case "lightportuguese" -> new PortugueseLightStemFilter(ts);
            case "minimalportuguese" -> new PortugueseMinimalStemFilter(ts);
            case "portugueserslp" -> new PortugueseStemFilter(ts);
            case "romanian" -> new SnowballFilter(ts, "Romanian");
            case "russian" -> new SnowballFilter(ts, "Russian");
            case "lightrussian" -> new RussianLightStemFilter(ts);
            case "serbian" -> new SnowballFilter(ts, "Serbian");
            case "spanish" -> new SnowballFilter(ts, "Spanish");
            case "lightspanish" -> new SpanishLightStemFilter(ts);
            case "spanishplural" -> new SpanishPluralStemFilter(ts);
            case "sorani" -> new SoraniStemFilter(ts);
            case "swedish" -> new SnowballFilter(ts, "Swedish");
            case "lightswedish" -> new SwedishLightStemFilter(ts);
            case "turkish" -> new SnowballFilter(ts, "Turkish");
            default -> throw new IllegalArgumentException("The [" + language + "] stemmer is not supported (kk-analysis-shim).");
        };
    }

    static TokenFilterFactory snowball(IndexSettings is, Environment env, String name, Settings s) {
        String lang = s.get("language", s.get("name", "English"));
        String cap = lang.isEmpty() ? lang : Character.toUpperCase(lang.charAt(0)) + lang.substring(1);
        new SnowballFilter(new EmptyTokenStream(), cap); // validate
        return filter(name, ts -> new SnowballFilter(ts, cap));
    }

    static TokenFilterFactory porterStem(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, PorterStemFilter::new);
    }

    static TokenFilterFactory kstem(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, KStemFilter::new);
    }

    static TokenFilterFactory stemmerOverride(IndexSettings is, Environment env, String name, Settings s) {
        List<String> rules = Analysis.getWordList(env, s, "rules");
        if (rules == null) {
            throw new IllegalArgumentException("stemmer override filter requires either `rules` or `rules_path` to be configured");
        }
        StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
        for (String rule : rules) {
            String[] sides = rule.split("=>", -1);
            if (sides.length != 2 || sides[1].trim().isEmpty()) {
                throw new IllegalArgumentException("Invalid Keyword override Rule:" + rule);
            }
            String override = sides[1].trim();
            for (String key : sides[0].split(",")) {
                String k = key.trim();
                if (k.isEmpty()) {
                    throw new IllegalArgumentException("Invalid Keyword override Rule:" + rule);
                }
                builder.add(k, override);
            }
        }
        final StemmerOverrideFilter.StemmerOverrideMap map;
        try {
            map = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return filter(name, ts -> new StemmerOverrideFilter(ts, map));
    }

    static TokenFilterFactory keywordMarker(IndexSettings is, Environment env, String name, Settings s) {
        boolean ignoreCase = s.getAsBoolean("ignore_case", false);
        String pattern = s.get("keywords_pattern");
        CharArraySet keywords = Analysis.getWordSet(env, s, "keywords");
        if (pattern != null && keywords != null) {
            throw new IllegalArgumentException("cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
        }
        if (pattern != null) {
            Pattern p = Pattern.compile(pattern);
            return filter(name, ts -> new PatternKeywordMarkerFilter(ts, p));
        }
        if (keywords == null) {
            throw new IllegalArgumentException("keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured");
        }
        CharArraySet set = new CharArraySet(keywords, ignoreCase);
        return filter(name, ts -> new SetKeywordMarkerFilter(ts, set));
    }

    // ------------------------------------------------------------------ n-grams, compounds, word delimiter

    static TokenFilterFactory ngram(IndexSettings is, Environment env, String name, Settings s) {
        int min = s.getAsInt("min_gram", 1);
        int max = s.getAsInt("max_gram", 2);
        boolean preserve = s.getAsBoolean("preserve_original", false);
        ShimUtil.checkNgramDiff(is, min, max, "NGram Tokenizer");
        return filter(name, ts -> new NGramTokenFilter(ts, min, max, preserve));
    }

    static TokenFilterFactory edgeNgram(IndexSettings is, Environment env, String name, Settings s) {
        int min = s.getAsInt("min_gram", 1);
        int max = s.getAsInt("max_gram", 2);
        boolean preserve = s.getAsBoolean("preserve_original", false);
        String side = s.get("side", "front");
        boolean back = switch (side) {
            case "front" -> false;
            case "back" -> true;
            default -> throw new IllegalArgumentException("invalid side: [" + side + "]");
        };
        return filter(
            name,
            ts -> back
                ? new ReverseStringFilter(new EdgeNGramTokenFilter(new ReverseStringFilter(ts), min, max, preserve))
                : new EdgeNGramTokenFilter(ts, min, max, preserve)
        );
    }

    static TokenFilterFactory dictionaryDecompounder(IndexSettings is, Environment env, String name, Settings s) {
        CharArraySet words = Analysis.getWordSet(env, s, "word_list");
        if (words == null) {
            throw new IllegalArgumentException("word_list must be provided for [" + name + "], either as a path to a file, or directly");
        }
        int minWord = s.getAsInt("min_word_size", DictionaryCompoundWordTokenFilter.DEFAULT_MIN_WORD_SIZE);
        int minSub = s.getAsInt("min_subword_size", DictionaryCompoundWordTokenFilter.DEFAULT_MIN_SUBWORD_SIZE);
        int maxSub = s.getAsInt("max_subword_size", DictionaryCompoundWordTokenFilter.DEFAULT_MAX_SUBWORD_SIZE);
        boolean longest = s.getAsBoolean("only_longest_match", false);
        return filter(name, ts -> new DictionaryCompoundWordTokenFilter(ts, words, minWord, minSub, maxSub, longest));
    }

    static TokenFilterFactory wordDelimiterGraph(IndexSettings is, Environment env, String name, Settings s) {
        int flags = 0;
        flags |= flag(s, "generate_word_parts", true, WordDelimiterGraphFilter.GENERATE_WORD_PARTS);
        flags |= flag(s, "generate_number_parts", true, WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS);
        flags |= flag(s, "catenate_words", false, WordDelimiterGraphFilter.CATENATE_WORDS);
        flags |= flag(s, "catenate_numbers", false, WordDelimiterGraphFilter.CATENATE_NUMBERS);
        flags |= flag(s, "catenate_all", false, WordDelimiterGraphFilter.CATENATE_ALL);
        flags |= flag(s, "split_on_case_change", true, WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE);
        flags |= flag(s, "preserve_original", false, WordDelimiterGraphFilter.PRESERVE_ORIGINAL);
        flags |= flag(s, "split_on_numerics", true, WordDelimiterGraphFilter.SPLIT_ON_NUMERICS);
        flags |= flag(s, "stem_english_possessive", true, WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE);
        flags |= flag(s, "ignore_keywords", false, WordDelimiterGraphFilter.IGNORE_KEYWORDS);
        boolean adjustOffsets = s.getAsBoolean("adjust_offsets", true);
        CharArraySet protectedWords = Analysis.getWordSet(env, s, "protected_words");
        if (s.get("type_table") != null || s.get("type_table_path") != null) {
            throw new IllegalArgumentException("type_table is not supported by kk-analysis-shim");
        }
        final int f = flags;
        return filter(
            name,
            ts -> new WordDelimiterGraphFilter(ts, adjustOffsets, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, f, protectedWords)
        );
    }

    private static int flag(Settings s, String key, boolean def, int bit) {
        return s.getAsBoolean(key, def) ? bit : 0;
    }

    // ------------------------------------------------------------------ misc

    static TokenFilterFactory length(IndexSettings is, Environment env, String name, Settings s) {
        int min = s.getAsInt("min", 0);
        int max = s.getAsInt("max", Integer.MAX_VALUE);
        return filter(name, ts -> new LengthFilter(ts, min, max));
    }

    static TokenFilterFactory limit(IndexSettings is, Environment env, String name, Settings s) {
        int max = s.getAsInt("max_token_count", 1);
        boolean all = s.getAsBoolean("consume_all_tokens", false);
        return filter(name, ts -> new LimitTokenCountFilter(ts, max, all));
    }

    static TokenFilterFactory truncate(IndexSettings is, Environment env, String name, Settings s) {
        int len = s.getAsInt("length", 10);
        if (len <= 0) {
            throw new IllegalArgumentException("length parameter must be provided");
        }
        return filter(name, ts -> new TruncateTokenFilter(ts, len));
    }

    static TokenFilterFactory unique(IndexSettings is, Environment env, String name, Settings s) {
        boolean same = s.getAsBoolean("only_on_same_position", false);
        return filter(name, ts -> new ShimUtil.UniqueFilter(ts, same));
    }

    static TokenFilterFactory trim(IndexSettings is, Environment env, String name, Settings s) {
        return normalizing(name, TrimFilter::new, TrimFilter::new);
    }

    static TokenFilterFactory reverse(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, ReverseStringFilter::new);
    }

    static TokenFilterFactory keep(IndexSettings is, Environment env, String name, Settings s) {
        CharArraySet words = Analysis.getWordSet(env, s, "keep_words");
        if (words == null) {
            throw new IllegalArgumentException("keep requires `keep_words` or `keep_words_path` to be configured");
        }
        CharArraySet set = s.getAsBoolean("keep_words_case", false) ? new CharArraySet(words, true) : words;
        return filter(name, ts -> new KeepWordFilter(ts, set));
    }

    static TokenFilterFactory patternReplace(IndexSettings is, Environment env, String name, Settings s) {
        String p = s.get("pattern");
        if (p == null) {
            throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
        }
        Pattern pattern = ShimUtil.regex(p, s.get("flags"));
        String replacement = s.get("replacement", "");
        boolean all = s.getAsBoolean("all", true);
        return normalizing(name, ts -> new PatternReplaceFilter(ts, pattern, replacement, all), ts -> new PatternReplaceFilter(ts, pattern, replacement, all));
    }

    static TokenFilterFactory flattenGraph(IndexSettings is, Environment env, String name, Settings s) {
        return filter(name, FlattenGraphFilter::new);
    }

    // ------------------------------------------------------------------ pre-configured (usable by name, no definition)

    static List<PreConfiguredTokenFilter> preConfigured() {
        return List.of(
            PreConfiguredTokenFilter.singleton("apostrophe", false, ApostropheFilter::new),
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("classic", false, ClassicFilter::new),
            PreConfiguredTokenFilter.singleton("decimal_digit", true, DecimalDigitFilter::new),
            PreConfiguredTokenFilter.singleton("dutch_stem", false, ts -> new SnowballFilter(ts, "Dutch")),
            PreConfiguredTokenFilter.singleton("edge_ngram", false, false, ts -> new EdgeNGramTokenFilter(ts, 1, 1, false)),
            PreConfiguredTokenFilter.singleton("elision", true, ts -> new ElisionFilter(ts, FrenchAnalyzer.DEFAULT_ARTICLES)),
            PreConfiguredTokenFilter.singleton("flatten_graph", false, false, FlattenGraphFilter::new),
            PreConfiguredTokenFilter.singleton("keyword_repeat", false, false, KeywordRepeatFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            PreConfiguredTokenFilter.singleton("length", false, ts -> new LengthFilter(ts, 0, Integer.MAX_VALUE)),
            PreConfiguredTokenFilter.singleton("limit", false, ts -> new LimitTokenCountFilter(ts, 1, false)),
            PreConfiguredTokenFilter.singleton("ngram", false, false, ts -> new NGramTokenFilter(ts, 1, 2, false)),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("reverse", false, ReverseStringFilter::new),
            PreConfiguredTokenFilter.singleton("snowball", false, ts -> new SnowballFilter(ts, "English")),
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("trim", true, TrimFilter::new),
            PreConfiguredTokenFilter.singleton("truncate", false, ts -> new TruncateTokenFilter(ts, 10)),
            PreConfiguredTokenFilter.singleton("unique", false, ts -> new ShimUtil.UniqueFilter(ts, false)),
            PreConfiguredTokenFilter.singleton("uppercase", true, UpperCaseFilter::new),
            PreConfiguredTokenFilter.singleton(
                "word_delimiter_graph",
                false,
                false,
                ts -> new WordDelimiterGraphFilter(
                    ts,
                    true,
                    WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE,
                    WordDelimiterGraphFilter.GENERATE_WORD_PARTS | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
                        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
                        | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE,
                    null
                )
            )
        );
    }
}
