package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;

/** Analyzer types: dutch, english (stopwords / stopwords_path / stem_exclusion), keyword, whitespace, simple. */
final class ShimAnalyzers {

    private ShimAnalyzers() {}

    private static <T extends Analyzer> AnalyzerProvider<T> provider(String name, Settings settings, T analyzer) {
        return new AbstractIndexAnalyzerProvider<T>(name, settings) {
            @Override
            public T get() {
                return analyzer;
            }
        };
    }

    static AnalyzerProvider<? extends Analyzer> dutch(IndexSettings is, Environment env, String name, Settings s) {
        return provider(
            name,
            s,
            new DutchAnalyzer(
                Analysis.parseStopWords(env, s, DutchAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            )
        );
    }

    static AnalyzerProvider<? extends Analyzer> english(IndexSettings is, Environment env, String name, Settings s) {
        return provider(
            name,
            s,
            new EnglishAnalyzer(
                Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            )
        );
    }

    static AnalyzerProvider<? extends Analyzer> keyword(IndexSettings is, Environment env, String name, Settings s) {
        return provider(name, s, new KeywordAnalyzer());
    }

    static AnalyzerProvider<? extends Analyzer> whitespace(IndexSettings is, Environment env, String name, Settings s) {
        return provider(name, s, new WhitespaceAnalyzer(s.getAsInt("max_token_length", 255)));
    }

    static AnalyzerProvider<? extends Analyzer> simple(IndexSettings is, Environment env, String name, Settings s) {
        return provider(name, s, new SimpleAnalyzer());
    }
}
