package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;

import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Char filters: html_strip, mapping, pattern_replace. */
final class ShimCharFilters {

    private ShimCharFilters() {}

    static CharFilterFactory htmlStrip(IndexSettings is, Environment env, String name, Settings s) {
        Set<String> escaped = new HashSet<>(s.getAsList("escaped_tags"));
        return new CharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader reader) {
                return new HTMLStripCharFilter(reader, escaped);
            }
        };
    }

    private static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    static CharFilterFactory mapping(IndexSettings is, Environment env, String name, Settings s) {
        List<String> rules = Analysis.getWordList(env, s, "mappings");
        if (rules == null) {
            throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
        }
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            Matcher m = RULE.matcher(rule);
            if (m.find() == false) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            String lhs = unescape(m.group(1).trim());
            String rhs = unescape(m.group(2).trim());
            if (lhs.isEmpty()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]. Illegal mapping.");
            }
            builder.add(lhs, rhs);
        }
        NormalizeCharMap map = builder.build();
        return new NormalizingCharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader reader) {
                return new MappingCharFilter(map, reader);
            }
        };
    }

    static CharFilterFactory patternReplace(IndexSettings is, Environment env, String name, Settings s) {
        String p = s.get("pattern");
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
        }
        Pattern pattern = ShimUtil.regex(p, s.get("flags"));
        String replacement = s.get("replacement", "");
        return new NormalizingCharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader reader) {
                return new PatternReplaceCharFilter(pattern, replacement, reader);
            }
        };
    }

    /** Handles \\, \n, \t, \r, \b, \f and \\uXXXX like the Solr mapping format. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 >= s.length()) {
                            throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                        }
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static List<PreConfiguredCharFilter> preConfigured() {
        return List.of(PreConfiguredCharFilter.singleton("html_strip", false, HTMLStripCharFilter::new));
    }
}
