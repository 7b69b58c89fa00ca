package io.xecure.policy.keyauth;

/**
 * A text that counts how much of it a parser reads: one per {@link #charAt}, the length of every
 * copy. A parser's work on it is a measure of its time that no machine load can blur.
 */
final class CountingChars implements CharSequence {
  private final String text;
  private long reads;

  CountingChars(String text) {
    this.text = text;
  }

  long reads() {
    return reads;
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    reads++;
    return text.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    reads += end - start;
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    reads += text.length();
    return text;
  }
}
