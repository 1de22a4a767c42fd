package dev.fixpoint.dsl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A bijection between a finite list of distinct values and the indices 0..n-1, in list order. It
 * maps tabular results back to typed states and actions.
 *
 * @param <T> the value type (value semantics expected)
 */
@API(status = API.Status.STABLE)
public final class Indexer<T> {
  private final String kind;
  private final List<T> values;
  private final Map<T, Integer> index;

  private Indexer(String kind, List<T> values, Map<T, Integer> index) {
    this.kind = kind;
    this.values = values;
    this.index = index;
  }

  /**
   * Indexes distinct values in order.
   *
   * @param kind what the values are ("state", "action"), used in messages
   * @param values distinct, non-null values
   * @param <T> the value type
   * @return the indexer
   * @throws ModelException naming the first value listed twice
   */
  public static <T> Indexer<T> of(String kind, List<? extends T> values) {
    List<T> copy = new ArrayList<>(values.size());
    Map<T, Integer> index = new HashMap<>(values.size() * 2);
    for (T v : values) {
      Objects.requireNonNull(v, kind);
      if (index.putIfAbsent(v, copy.size()) != null) {
        throw new ModelException(kind + " " + v + " is listed twice");
      }
      copy.add(v);
    }
    return new Indexer<>(kind, Collections.unmodifiableList(copy), index);
  }

  /**
   * {@return the names "0".."n-1"}
   * @param kind what the values are
   * @param n how many
   */
  public static Indexer<String> numbered(String kind, int n) {
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(Integer.toString(i));
    }
    return of(kind, names);
  }

  /** {@return how many values} */
  public int size() {
    return values.size();
  }

  /**
   * {@return the value at index i}
   * @param i an index in [0, size)
   */
  public T value(int i) {
    return values.get(i);
  }

  /**
   * {@return the index of v}
   * @param v a value
   *
   * @throws ModelException when v is not indexed
   */
  public int indexOf(T v) {
    Integer i = index.get(v);
    if (i == null) {
      throw new ModelException("unknown " + kind + " " + v);
    }
    return i;
  }

  /**
   * {@return the index of v, or -1 when v is not indexed}
   * @param v a value
   */
  public int find(Object v) {
    Integer i = index.get(v);
    return i == null ? -1 : i;
  }

  /**
   * {@return whether v is indexed}
   * @param v a value
   */
  public boolean contains(Object v) {
    return index.containsKey(v);
  }

  /** {@return the values in index order (unmodifiable)} */
  public List<T> values() {
    return values;
  }

  /** {@return what the values are ("state", "action")} */
  public String kind() {
    return kind;
  }

  @Override
  public String toString() {
    return kind + "s " + values;
  }
}
