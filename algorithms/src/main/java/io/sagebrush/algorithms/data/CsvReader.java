package io.sagebrush.algorithms.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Reads headerless numeric CSV: {@code labelColumns} leading label columns (0 or 1), optionally a
 * weight column after the label, then the features. Blank lines are skipped. Every row must have as
 * many columns as the first.
 */
public final class CsvReader {
  private final int labelColumns;
  private final boolean weightColumn;
  private final boolean allowMissing;
  private LabelRule labelRule;

  /**
   * @param labelColumns 1 when the first column is the label, 0 when there is none
   * @param weightColumn true when the column after the label is an instance weight
   * @param allowMissing true when empty cells are missing values (NaN) instead of errors
   */
  public CsvReader(int labelColumns, boolean weightColumn, boolean allowMissing) {
    if (labelColumns < 0 || labelColumns > 1) {
      throw new IllegalArgumentException("labelColumns must be 0 or 1");
    }
    this.labelColumns = labelColumns;
    this.weightColumn = weightColumn;
    this.allowMissing = allowMissing;
  }

  /** Checks every label against the rule while reading. */
  public CsvReader withLabelRule(LabelRule rule) {
    this.labelRule = rule;
    return this;
  }

  /**
   * Reads the files in order into one data set.
   *
   * @param files the files with the names errors use for them
   * @param expectedCols the feature count every row must have, or -1 to take the first row's
   * @throws DataFormatException naming the file and line of a ragged row or a non-numeric cell
   */
  public Dataset read(List<NamedFile> files, int expectedCols) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, CsvReader::daemon);
    // bounds the lines held in memory while the parsers catch up with the reader
    Semaphore inFlight = new Semaphore(threads * 4);
    List<Future<Batch>> batches = new ArrayList<>();
    int cols = expectedCols;
    String firstSeen = null;
    try {
      for (NamedFile f : files) {
        try (BufferedReader reader = Files.newBufferedReader(f.path(), StandardCharsets.UTF_8)) {
          String line;
          long lineNo = 0;
          List<String> lines = new ArrayList<>(BATCH);
          long[] numbers = new long[BATCH];
          while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
              continue;
            }
            if (cols < 0) {
              // the first record fixes the column count every later record must have
              Batch probe = new Batch();
              parseLine(line, lineNo, f, -1, null, probe);
              cols = probe.x.size();
              firstSeen = f.name() + " line " + lineNo;
            }
            numbers[lines.size()] = lineNo;
            lines.add(line);
            if (lines.size() == BATCH) {
              batches.add(submit(pool, inFlight, f, lines, numbers, cols, firstSeen));
              lines = new ArrayList<>(BATCH);
              numbers = new long[BATCH];
            }
          }
          if (!lines.isEmpty()) {
            batches.add(submit(pool, inFlight, f, lines, numbers, cols, firstSeen));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f.name(), e);
        }
      }
      FloatBuffer x = new FloatBuffer();
      FloatBuffer y = labelColumns > 0 ? new FloatBuffer() : null;
      FloatBuffer w = weightColumn ? new FloatBuffer() : null;
      int rows = 0;
      // in file order, so the first failing batch holds the earliest bad line
      for (Future<Batch> future : batches) {
        Batch b = await(future);
        x.addAll(b.x);
        if (y != null) {
          y.addAll(b.y);
        }
        if (w != null) {
          w.addAll(b.w);
        }
        rows += b.rows;
      }
      return new Dataset(
          rows,
          Math.max(cols, 0),
          x.toArray(),
          y == null ? null : y.toArray(),
          w == null ? null : w.toArray());
    } finally {
      pool.shutdownNow();
    }
  }

  private static final int BATCH = 4096;

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "sagebrush-csv");
    t.setDaemon(true);
    return t;
  }

  private Future<Batch> submit(
      ExecutorService pool,
      Semaphore inFlight,
      NamedFile f,
      List<String> lines,
      long[] numbers,
      int cols,
      String firstSeen) {
    inFlight.acquireUninterruptibly();
    try {
      return pool.submit(
          () -> {
            try {
              Batch b = new Batch();
              for (int i = 0; i < lines.size(); i++) {
                parseLine(lines.get(i), numbers[i], f, cols, firstSeen, b);
                b.rows++;
              }
              return b;
            } finally {
              inFlight.release();
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private static Batch await(Future<Batch> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading CSV", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Parsed records of a run of lines. */
  private static final class Batch {
    final FloatBuffer x = new FloatBuffer();
    final FloatBuffer y = new FloatBuffer();
    final FloatBuffer w = new FloatBuffer();
    int rows;
  }

  private void parseLine(
      String line, long lineNo, NamedFile f, int cols, String firstSeen, Batch out) {
    int lead = labelColumns + (weightColumn ? 1 : 0);
    int start = 0;
    int col = 0;
    int len = line.length();
    if (line.endsWith("\r")) {
      len--;
    }
    while (true) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 || comma > len ? len : comma;
      float v = parse(line, start, end, f, lineNo, col, col < lead);
      if (col < labelColumns) {
        if (labelRule != null && !labelRule.accepts(v)) {
          throw new DataFormatException(
              f.name(),
              lineNo,
              "label " + cell(line, start, end) + " must be " + labelRule.expectation());
        }
        out.y.add(v);
      } else if (col < lead) {
        out.w.add(v);
      } else {
        if (cols >= 0 && col - lead >= cols) {
          throw ragged(f, lineNo, cols + lead, countColumns(line), firstSeen);
        }
        out.x.add(v);
      }
      col++;
      if (end >= len) {
        break;
      }
      start = end + 1;
    }
    int features = col - lead;
    if (features < 0 || (cols >= 0 && features != cols)) {
      throw ragged(f, lineNo, Math.max(cols, 0) + lead, col, firstSeen);
    }
    if (cols < 0 && features == 0) {
      throw new DataFormatException(f.name(), lineNo, "the row has no feature columns");
    }
  }

  private static String cell(String line, int start, int end) {
    return line.substring(start, end).trim();
  }

  private static int countColumns(String line) {
    int n = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        n++;
      }
    }
    return n;
  }

  private static DataFormatException ragged(
      NamedFile f, long lineNo, int expected, int found, String firstSeen) {
    return new DataFormatException(
        f.name(),
        lineNo,
        "expected "
            + expected
            + " columns"
            + (firstSeen == null ? "" : " (as in " + firstSeen + ")")
            + ", found "
            + found);
  }

  private float parse(
      String line, int start, int end, NamedFile f, long lineNo, int col, boolean isLabel) {
    while (start < end && line.charAt(start) == ' ') {
      start++;
    }
    while (end > start && line.charAt(end - 1) == ' ') {
      end--;
    }
    if (start == end) {
      if (allowMissing && !isLabel) {
        return Float.NaN;
      }
      throw new DataFormatException(f.name(), lineNo, "column " + (col + 1) + " is empty");
    }
    String cell = line.substring(start, end);
    try {
      float v = Float.parseFloat(cell);
      if (Float.isNaN(v) && !allowMissing) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          f.name(), lineNo, "column " + (col + 1) + " value '" + cell + "' is not a number");
    }
  }
}
