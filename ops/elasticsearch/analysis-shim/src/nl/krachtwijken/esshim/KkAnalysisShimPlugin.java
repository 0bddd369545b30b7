package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * Local-development shim for the Elasticsearch "integ-test-zip" distribution published on Maven Central.
 *
 * That distribution is a real Elasticsearch server, but it ships without the {@code analysis-common} and
 * {@code rest-root} modules. This plugin registers, under the same names and with the same settings as
 * documented for Elasticsearch 8, the analysis components the project relies on, built from the very same
 * Lucene classes ({@code lucene-analysis-common}) that the official module uses, plus {@code GET /} and
 * {@code HEAD /}. It is written for this project (not copied from Elasticsearch) and covers a subset only;
 * see ops/elasticsearch/README.md for the list.
 */
public class KkAnalysisShimPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    // ------------------------------------------------------------------ REST: GET / and HEAD /

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new MainInfoRestHandler(clusterService::get));
    }

    // ------------------------------------------------------------------ analysis: configurable types

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("keyword", ShimTokenizers::keyword);
        m.put("whitespace", ShimTokenizers::whitespace);
        m.put("letter", ShimTokenizers::letter);
        m.put("lowercase", ShimTokenizers::lowercase);
        m.put("classic", ShimTokenizers::classic);
        m.put("uax_url_email", ShimTokenizers::uaxUrlEmail);
        m.put("pattern", ShimTokenizers::pattern);
        m.put("ngram", ShimTokenizers::ngram);
        m.put("edge_ngram", ShimTokenizers::edgeNgram);
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", ShimFilters::asciifolding);
        m.put("lowercase", ShimFilters::lowercase);
        m.put("uppercase", ShimFilters::uppercase);
        m.put("stemmer", ShimFilters::stemmer);
        m.put("snowball", ShimFilters::snowball);
        m.put("porter_stem", ShimFilters::porterStem);
        m.put("kstem", ShimFilters::kstem);
        m.put("stemmer_override", requiresAnalysisSettings(ShimFilters::stemmerOverride));
        m.put("keyword_marker", requiresAnalysisSettings(ShimFilters::keywordMarker));
        m.put("synonym", requiresAnalysisSettings((is, env, name, s) -> new ShimSynonyms.Factory(is, env, name, s, false)));
        m.put("synonym_graph", requiresAnalysisSettings((is, env, name, s) -> new ShimSynonyms.Factory(is, env, name, s, true)));
        m.put("ngram", ShimFilters::ngram);
        m.put("edge_ngram", ShimFilters::edgeNgram);
        m.put("word_delimiter_graph", ShimFilters::wordDelimiterGraph);
        m.put("dictionary_decompounder", requiresAnalysisSettings(ShimFilters::dictionaryDecompounder));
        m.put("elision", ShimFilters::elision);
        m.put("length", ShimFilters::length);
        m.put("limit", ShimFilters::limit);
        m.put("truncate", ShimFilters::truncate);
        m.put("unique", ShimFilters::unique);
        m.put("trim", ShimFilters::trim);
        m.put("reverse", ShimFilters::reverse);
        m.put("keep", requiresAnalysisSettings(ShimFilters::keep));
        m.put("pattern_replace", requiresAnalysisSettings(ShimFilters::patternReplace));
        m.put("flatten_graph", ShimFilters::flattenGraph);
        m.put("apostrophe", ShimFilters::apostrophe);
        m.put("decimal_digit", ShimFilters::decimalDigit);
        m.put("classic", ShimFilters::classic);
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", ShimCharFilters::htmlStrip);
        m.put("mapping", requiresAnalysisSettings(ShimCharFilters::mapping));
        m.put("pattern_replace", requiresAnalysisSettings(ShimCharFilters::patternReplace));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("dutch", ShimAnalyzers::dutch);
        m.put("english", ShimAnalyzers::english);
        m.put("keyword", ShimAnalyzers::keyword);
        m.put("whitespace", ShimAnalyzers::whitespace);
        m.put("simple", ShimAnalyzers::simple);
        return m;
    }

    // ------------------------------------------------------------------ analysis: pre-configured (usable by name)

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return List.of(
            new PreBuiltAnalyzerProviderFactory("dutch", CachingStrategy.LUCENE, DutchAnalyzer::new),
            new PreBuiltAnalyzerProviderFactory("english", CachingStrategy.LUCENE, EnglishAnalyzer::new)
        );
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return ShimTokenizers.preConfigured();
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return ShimFilters.preConfigured();
    }

    @Override
    public List<PreConfiguredCharFilter> getPreConfiguredCharFilters() {
        return ShimCharFilters.preConfigured();
    }
}
