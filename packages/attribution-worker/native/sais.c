/*
 * Suffix array construction by induced sorting (SA-IS), the same algorithm and entry encoding as
 * src/span/sais.ts (see its comments), compiled as an optional Node-API addon because the
 * construction is memory-bound and runs about twice as fast in C. src/span/sais.ts loads it when
 * it was built (native/build.mjs) and falls back to the TypeScript implementation otherwise; both
 * give the same array (a suffix array is unique), which test/span.sais.test.ts checks.
 *
 * buildSuffixArray(text: Int32Array, alphabetSize: number): Int32Array
 * Every symbol must be in [0, alphabetSize); the text is checked before anything is written.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void bucket_starts(const int32_t *counts, int32_t *out, int32_t k) {
  int32_t sum = 0;
  for (int32_t c = 0; c < k; c++) {
    out[c] = sum;
    sum += counts[c];
  }
}

static void bucket_ends(const int32_t *counts, int32_t *out, int32_t k) {
  int32_t sum = 0;
  for (int32_t c = 0; c < k; c++) {
    sum += counts[c];
    out[c] = sum;
  }
}

/* L pass: a positive entry j induces the L-type suffix j - 1 at the head of its bucket. */
static void induce_l(const int32_t *t, int32_t *sa, int32_t n, int32_t *b_arr, int keep) {
  int32_t c1 = t[n - 1];
  int32_t b = b_arr[c1];
  int32_t last = n - 1;
  sa[b++] = (last > 0 && t[last - 1] < c1) ? ~last : last;
  for (int32_t i = 0; i < n; i++) {
    int32_t j = sa[i];
    if (j > 0) {
      int32_t p = j - 1;
      int32_t c0 = t[p];
      if (c0 != c1) {
        b_arr[c1] = b;
        c1 = c0;
        b = b_arr[c0];
      }
      sa[b++] = (p > 0 && t[p - 1] < c0) ? ~p : p;
      sa[i] = keep ? ~j : 0;
    } else if (j < 0) {
      sa[i] = ~j;
    }
  }
}

/* S pass: a positive entry j induces the S-type suffix j - 1 at the tail of its bucket. */
static void induce_s(const int32_t *t, int32_t *sa, int32_t n, int32_t *b_arr, int keep) {
  int32_t c1 = 0;
  int32_t b = b_arr[0];
  for (int32_t i = n - 1; i >= 0; i--) {
    int32_t j = sa[i];
    if (j > 0) {
      int32_t p = j - 1;
      int32_t c0 = t[p];
      if (c0 != c1) {
        b_arr[c1] = b;
        c1 = c0;
        b = b_arr[c0];
      }
      sa[--b] = (p > 0 && t[p - 1] > c0) ? ~p : p;
      if (!keep) sa[i] = 0;
    }
  }
}

/* Returns 0, or -1 when memory ran out. */
static int sais(const int32_t *t, int32_t *sa, int32_t n, int32_t k) {
  if (n == 1) {
    sa[0] = 0;
    return 0;
  }
  int32_t *counts = calloc((size_t)k, sizeof(int32_t));
  int32_t *b_arr = malloc((size_t)k * sizeof(int32_t));
  if (!counts || !b_arr) {
    free(counts);
    free(b_arr);
    return -1;
  }
  for (int32_t i = 0; i < n; i++) counts[t[i]]++;

  /* Stage 1: LMS suffixes at their bucket tails, then one L and one S pass. */
  memset(sa, 0, (size_t)n * sizeof(int32_t));
  bucket_ends(counts, b_arr, k);
  int32_t m = 0;
  {
    int32_t c1 = t[n - 1];
    int s = 0;
    for (int32_t i = n - 2; i >= 0; i--) {
      int32_t c0 = t[i];
      int si = c0 < c1 || (c0 == c1 && s);
      if (!si && s) {
        sa[--b_arr[c1]] = i + 1;
        m++;
      }
      s = si;
      c1 = c0;
    }
  }
  if (m > 0) {
    bucket_starts(counts, b_arr, k);
    induce_l(t, sa, n, b_arr, 0);
    bucket_ends(counts, b_arr, k);
    induce_s(t, sa, n, b_arr, 0);
  }
  int32_t kk = 0;
  for (int32_t i = 0; i < n; i++) {
    int32_t v = sa[i];
    if (v < 0) sa[kk++] = ~v;
  }

  /* Lengths of the LMS substrings at sa[m + (p >> 1)]. */
  memset(sa + m, 0, (size_t)(n - m) * sizeof(int32_t));
  {
    int32_t c1 = t[n - 1];
    int s = 0;
    int32_t next = n;
    for (int32_t i = n - 2; i >= 0; i--) {
      int32_t c0 = t[i];
      int si = c0 < c1 || (c0 == c1 && s);
      if (!si && s) {
        int32_t p = i + 1;
        sa[m + (p >> 1)] = next - p + 1;
        next = p;
      }
      s = si;
      c1 = c0;
    }
  }

  /* Names. */
  int32_t name = 0;
  int32_t prev = -1;
  int32_t prev_len = 0;
  for (int32_t i = 0; i < m; i++) {
    int32_t pos = sa[i];
    int32_t len = sa[m + (pos >> 1)];
    int diff = 1;
    if (len == prev_len && (int64_t)pos + len <= n && (int64_t)prev + len <= n) {
      diff = 0;
      for (int32_t d = 0; d < len; d++) {
        if (t[pos + d] != t[prev + d]) {
          diff = 1;
          break;
        }
      }
    }
    if (diff) {
      name++;
      prev = pos;
      prev_len = len;
    }
    sa[m + (pos >> 1)] = name;
  }
  for (int32_t i = n - 1, j = n - 1; i >= m; i--) {
    int32_t v = sa[i];
    if (v > 0) sa[j--] = v - 1;
  }

  /* Stage 2: the reduced problem. */
  int32_t *s1 = sa + (n - m);
  int32_t *sa1 = sa;
  if (name < m) {
    if (sais(s1, sa1, m, name) != 0) {
      free(counts);
      free(b_arr);
      return -1;
    }
  } else {
    for (int32_t i = 0; i < m; i++) sa1[s1[i]] = i;
  }

  /* Stage 3. */
  {
    int32_t c1 = t[n - 1];
    int s = 0;
    int32_t j = m;
    for (int32_t i = n - 2; i >= 0; i--) {
      int32_t c0 = t[i];
      int si = c0 < c1 || (c0 == c1 && s);
      if (!si && s) s1[--j] = i + 1;
      s = si;
      c1 = c0;
    }
  }
  for (int32_t i = 0; i < m; i++) sa1[i] = s1[sa1[i]];
  memset(sa + m, 0, (size_t)(n - m) * sizeof(int32_t));
  bucket_ends(counts, b_arr, k);
  for (int32_t i = m - 1; i >= 0; i--) {
    int32_t p = sa[i];
    sa[i] = 0;
    sa[--b_arr[t[p]]] = p;
  }
  bucket_starts(counts, b_arr, k);
  induce_l(t, sa, n, b_arr, 1);
  bucket_ends(counts, b_arr, k);
  induce_s(t, sa, n, b_arr, 1);
  for (int32_t i = 0; i < n; i++) {
    int32_t v = sa[i];
    if (v < 0) sa[i] = ~v;
  }
  free(counts);
  free(b_arr);
  return 0;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value build_suffix_array(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 2) return fail(env, "expected (text, alphabetSize)");
  bool is_typed = false;
  napi_is_typedarray(env, args[0], &is_typed);
  if (!is_typed) return fail(env, "text must be an Int32Array");
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, args[0], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_int32_array) {
    return fail(env, "text must be an Int32Array");
  }
  int32_t k;
  if (napi_get_value_int32(env, args[1], &k) != napi_ok || k < 1) return fail(env, "alphabetSize must be a positive integer");
  if (length >= (size_t)INT32_MAX) return fail(env, "text too long");
  const int32_t *text = data;
  for (size_t i = 0; i < length; i++) {
    if (text[i] < 0 || text[i] >= k) return fail(env, "a symbol is outside [0, alphabetSize)");
  }
  void *out;
  napi_value out_buffer;
  if (napi_create_arraybuffer(env, length * sizeof(int32_t), &out, &out_buffer) != napi_ok) return fail(env, "out of memory");
  napi_value result;
  if (napi_create_typedarray(env, napi_int32_array, length, out_buffer, 0, &result) != napi_ok) return fail(env, "out of memory");
  if (length > 0 && sais(text, out, (int32_t)length, k) != 0) return fail(env, "out of memory");
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "buildSuffixArray", NAPI_AUTO_LENGTH, build_suffix_array, NULL, &fn);
  napi_set_named_property(env, exports, "buildSuffixArray", fn);
  return exports;
}
