package nl.krachtwijken.esshim;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.util.AttributeFactory;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** Tokenizer types normally provided by analysis-common. */
final class ShimTokenizers {

    private ShimTokenizers() {}

    static TokenizerFactory keyword(IndexSettings is, Environment env, String name, Settings s) {
        int bufferSize = s.getAsInt("buffer_size", 256);
        return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
    }

    static TokenizerFactory whitespace(IndexSettings is, Environment env, String name, Settings s) {
        int max = s.getAsInt("max_token_length", 255);
        return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(AttributeFactory.DEFAULT_ATTRIBUTE_FACTORY, max));
    }

    static TokenizerFactory letter(IndexSettings is, Environment env, String name, Settings s) {
        return TokenizerFactory.newFactory(name, LetterTokenizer::new);
    }

    static TokenizerFactory lowercase(IndexSettings is, Environment env, String name, Settings s) {
        return TokenizerFactory.newFactory(name, LowerCaseLetterTokenizer::new);
    }

    static TokenizerFactory classic(IndexSettings is, Environment env, String name, Settings s) {
        int max = s.getAsInt("max_token_length", 255);
        return TokenizerFactory.newFactory(name, () -> {
            ClassicTokenizer t = new ClassicTokenizer();
            t.setMaxTokenLength(max);
            return t;
        });
    }

    static TokenizerFactory uaxUrlEmail(IndexSettings is, Environment env, String name, Settings s) {
        int max = s.getAsInt("max_token_length", 255);
        return TokenizerFactory.newFactory(name, () -> {
            UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
            t.setMaxTokenLength(max);
            return t;
        });
    }

    static TokenizerFactory pattern(IndexSettings is, Environment env, String name, Settings s) {
        Pattern p = ShimUtil.regex(s.get("pattern", "\\W+"), s.get("flags"));
        int group = s.getAsInt("group", -1);
        return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(p, group));
    }

    static TokenizerFactory ngram(IndexSettings is, Environment env, String name, Settings s) {
        int min = s.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
        int max = s.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
        ShimUtil.checkNgramDiff(is, min, max, "NGram Tokenizer");
        IntPredicate tokenChars = tokenChars(s);
        return TokenizerFactory.newFactory(name, () -> tokenChars == null ? new NGramTokenizer(min, max) : new NGramTokenizer(min, max) {
            @Override
            protected boolean isTokenChar(int chr) {
                return tokenChars.test(chr);
            }
        });
    }

    static TokenizerFactory edgeNgram(IndexSettings is, Environment env, String name, Settings s) {
        int min = s.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
        int max = s.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
        IntPredicate tokenChars = tokenChars(s);
        return TokenizerFactory.newFactory(
            name,
            () -> tokenChars == null ? new EdgeNGramTokenizer(min, max) : new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            }
        );
    }

    /** token_chars: letter, digit, whitespace, punctuation, symbol, custom (+ custom_token_chars). null = all. */
    static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String cls : classes) {
            IntPredicate p;
            switch (cls.toLowerCase(Locale.ROOT).trim()) {
                case "letter" -> p = Character::isLetter;
                case "digit" -> p = Character::isDigit;
                case "whitespace" -> p = Character::isWhitespace;
                case "punctuation" -> p = c -> switch (Character.getType(c)) {
                    case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                        Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> p = c -> switch (Character.getType(c)) {
                    case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL, Character.MODIFIER_SYMBOL -> true;
                    default -> false;
                };
                case "custom" -> {
                    String custom = s.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: [custom] requires setting `custom_token_chars`");
                    }
                    int[] cps = custom.codePoints().toArray();
                    p = c -> {
                        for (int cp : cps) {
                            if (cp == c) return true;
                        }
                        return false;
                    };
                }
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "', must be one of [symbol, custom, letter, whitespace, punctuation, digit]");
            }
            result = result.or(p);
        }
        return result;
    }

    static List<PreConfiguredTokenizer> preConfigured() {
        return List.of(
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new),
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("letter", LetterTokenizer::new),
            PreConfiguredTokenizer.singleton("lowercase", LowerCaseLetterTokenizer::new),
            PreConfiguredTokenizer.singleton("classic", ClassicTokenizer::new),
            PreConfiguredTokenizer.singleton("uax_url_email", UAX29URLEmailTokenizer::new),
            PreConfiguredTokenizer.singleton("pattern", () -> new PatternTokenizer(Pattern.compile("\\W+"), -1)),
            PreConfiguredTokenizer.singleton("ngram", NGramTokenizer::new),
            PreConfiguredTokenizer.singleton(
                "edge_ngram",
                () -> new EdgeNGramTokenizer(EdgeNGramTokenizer.DEFAULT_MIN_GRAM_SIZE, EdgeNGramTokenizer.DEFAULT_MAX_GRAM_SIZE)
            )
        );
    }

    /** Splits on non-letters and lower-cases (what the "lowercase" tokenizer does). */
    static final class LowerCaseLetterTokenizer extends Tokenizer {
        private static final int MAX_WORD_LEN = 255;
        private static final int IO_BUFFER_SIZE = 4096;
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
        private final char[] ioBuffer = new char[IO_BUFFER_SIZE];
        private int bufLen = 0;
        private int bufPos = 0;
        private int offset = 0; // char offset of ioBuffer[0] in the input
        private int finalOffset = 0;
        private boolean exhausted = false;

        LowerCaseLetterTokenizer() {}

        /** Next code point or -1; advances. Keeps surrogate pairs together. */
        private int nextCodePoint() throws IOException {
            if (!fill(1)) return -1;
            char c = ioBuffer[bufPos];
            if (Character.isHighSurrogate(c) && fill(2)) {
                char d = ioBuffer[bufPos + 1];
                if (Character.isLowSurrogate(d)) {
                    bufPos += 2;
                    return Character.toCodePoint(c, d);
                }
            }
            bufPos += 1;
            return c;
        }

        /** Ensure at least n chars are available from bufPos; false if not even one available. */
        private boolean fill(int n) throws IOException {
            if (bufLen - bufPos >= n) return true;
            if (exhausted) return bufLen - bufPos > 0;
            int remaining = bufLen - bufPos;
            System.arraycopy(ioBuffer, bufPos, ioBuffer, 0, remaining);
            offset += bufPos;
            bufPos = 0;
            bufLen = remaining;
            while (bufLen < n) {
                int read = input.read(ioBuffer, bufLen, ioBuffer.length - bufLen);
                if (read == -1) {
                    exhausted = true;
                    break;
                }
                bufLen += read;
            }
            return bufLen - bufPos > 0;
        }

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            int length = 0;
            int start = -1;
            int end = -1;
            char[] buffer = termAtt.buffer();
            while (true) {
                int posBefore = offset + bufPos;
                int cp = nextCodePoint();
                if (cp == -1) {
                    if (length > 0) break;
                    finalOffset = correctOffset(posBefore);
                    return false;
                }
                int charCount = Character.charCount(cp);
                if (Character.isLetter(cp)) {
                    if (length == 0) start = posBefore;
                    else if (length >= buffer.length - 1) buffer = termAtt.resizeBuffer(2 + length);
                    end = posBefore + charCount;
                    length += Character.toChars(Character.toLowerCase(cp), buffer, length);
                    if (length >= MAX_WORD_LEN) break;
                } else if (length > 0) {
                    break;
                }
            }
            termAtt.setLength(length);
            offsetAtt.setOffset(correctOffset(start), finalOffset = correctOffset(end));
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            offsetAtt.setOffset(finalOffset, finalOffset);
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            bufLen = 0;
            bufPos = 0;
            offset = 0;
            finalOffset = 0;
            exhausted = false;
        }
    }
}
