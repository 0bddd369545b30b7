package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.elasticsearch.index.IndexSettings;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

final class ShimUtil {

    private ShimUtil() {}

    /** Java regex with Elasticsearch-style "flags" (e.g. "CASE_INSENSITIVE|COMMENTS"). */
    static Pattern regex(String pattern, String flags) {
        if (pattern == null) {
            throw new IllegalArgumentException("pattern is missing");
        }
        int f = 0;
        if (flags != null && flags.isBlank() == false) {
            for (String flag : flags.split("\\|")) {
                switch (flag.trim().toUpperCase(Locale.ROOT)) {
                    case "CASE_INSENSITIVE" -> f |= Pattern.CASE_INSENSITIVE;
                    case "MULTILINE" -> f |= Pattern.MULTILINE;
                    case "DOTALL" -> f |= Pattern.DOTALL;
                    case "UNICODE_CASE" -> f |= Pattern.UNICODE_CASE;
                    case "CANON_EQ" -> f |= Pattern.CANON_EQ;
                    case "UNIX_LINES" -> f |= Pattern.UNIX_LINES;
                    case "LITERAL" -> f |= Pattern.LITERAL;
                    case "COMMENTS" -> f |= Pattern.COMMENTS;
                    case "UNICODE_CHARACTER_CLASS" -> f |= Pattern.UNICODE_CHARACTER_CLASS;
                    default -> throw new IllegalArgumentException("Unknown regex flag [" + flag + "]");
                }
            }
        }
        return Pattern.compile(pattern, f);
    }

    /** Same limit as Elasticsearch: index.max_ngram_diff (default 1). */
    static void checkNgramDiff(IndexSettings is, int min, int max, String what) {
        int allowed = is.getMaxNgramDiff();
        int diff = max - min;
        if (diff > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in "
                    + what
                    + " must be less than or equal to: ["
                    + allowed
                    + "] but was ["
                    + diff
                    + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index level setting."
            );
        }
    }

    /** Removes duplicate terms from the stream (or only at the same position). */
    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                final char[] term = termAtt.buffer();
                final int length = termAtt.length();
                if (onlyOnSamePosition && posIncAtt.getPositionIncrement() > 0) {
                    seen.clear();
                }
                if (seen.contains(term, 0, length)) {
                    continue;
                }
                char[] copy = new char[length];
                System.arraycopy(term, 0, copy, 0, length);
                seen.add(copy);
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
