package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * "synonym" / "synonym_graph" token filters: inline {@code synonyms} or {@code synonyms_path} (relative to the
 * node's config dir), {@code format} solr (default) or wordnet, {@code expand}, {@code lenient}, {@code updateable}.
 * The synonym rules are analysed with the chain that precedes the filter, as Elasticsearch does.
 * Not supported: {@code synonyms_set} (synonyms API).
 */
final class ShimSynonyms {

    private ShimSynonyms() {}

    static final class Factory implements TokenFilterFactory {
        private final String name;
        private final Settings settings;
        private final Environment env;
        private final boolean graph;
        private final boolean expand;
        private final boolean lenient;
        private final String format;
        private final AnalysisMode mode;

        Factory(IndexSettings is, Environment env, String name, Settings settings, boolean graph) {
            this.name = name;
            this.settings = settings;
            this.env = env;
            this.graph = graph;
            this.expand = settings.getAsBoolean("expand", true);
            this.lenient = settings.getAsBoolean("lenient", false);
            this.format = settings.get("format", "");
            this.mode = settings.getAsBoolean("updateable", false) ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
            if (settings.hasValue("synonyms_set")) {
                throw new IllegalArgumentException("[synonyms_set] (synonyms API) is not supported by kk-analysis-shim; use synonyms or synonyms_path");
            }
            if (settings.hasValue("synonyms") == false && settings.hasValue("synonyms_path") == false) {
                throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AnalysisMode getAnalysisMode() {
            return mode;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an analysis chain first");
        }

        @Override
        public TokenFilterFactory getChainAwareTokenFilterFactory(
            IndexCreationContext context,
            TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters,
            List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters
        ) {
            Analyzer analyzer = new CustomAnalyzer(
                tokenizer,
                charFilters.toArray(new CharFilterFactory[0]),
                previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
            );
            SynonymMap map = build(analyzer);
            String n = name;
            AnalysisMode m = mode;
            return new TokenFilterFactory() {
                @Override
                public String name() {
                    return n;
                }

                @Override
                public TokenStream create(TokenStream ts) {
                    if (map.fst == null) {
                        return ts;
                    }
                    return graph ? new SynonymGraphFilter(ts, map, false) : new SynonymFilter(ts, map, false);
                }

                @Override
                public TokenFilterFactory getSynonymFilter() {
                    return IDENTITY_FILTER; // synonyms must not be applied to other synonym rules
                }

                @Override
                public AnalysisMode getAnalysisMode() {
                    return m;
                }
            };
        }

        private List<String> rules() throws IOException {
            if (settings.hasValue("synonyms")) {
                return Analysis.getWordList(env, settings, "synonyms");
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(Analysis.getReaderFromFile(env, settings.get("synonyms_path"), "synonyms"))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            }
            return lines;
        }

        private SynonymMap build(Analyzer analyzer) {
            try {
                List<String> rules = rules();
                if (lenient) {
                    List<String> ok = new ArrayList<>();
                    for (String rule : rules) {
                        try {
                            parse(analyzer, List.of(rule));
                            ok.add(rule);
                        } catch (Exception e) {
                            // lenient: skip rules that cannot be parsed / analysed
                        }
                    }
                    rules = ok;
                }
                return parse(analyzer, rules);
            } catch (Exception e) {
                throw new IllegalArgumentException("failed to build synonyms", e);
            }
        }

        private SynonymMap parse(Analyzer analyzer, List<String> rules) throws IOException, java.text.ParseException {
            StringBuilder sb = new StringBuilder();
            for (String rule : rules) {
                sb.append(rule).append('\n');
            }
            Reader reader = new StringReader(sb.toString());
            if ("wordnet".equalsIgnoreCase(format)) {
                WordnetSynonymParser p = new WordnetSynonymParser(true, expand, analyzer);
                p.parse(reader);
                return p.build();
            }
            SolrSynonymParser p = new SolrSynonymParser(true, expand, analyzer);
            p.parse(reader);
            return p.build();
        }
    }
}
