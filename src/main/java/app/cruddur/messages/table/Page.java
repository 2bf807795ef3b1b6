package app.cruddur.messages.table;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Items of one page, newest first, and the sort key to continue below when older items exist. */
public record Page<T>(List<T> items, Optional<String> olderThanSk) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), olderThanSk);
    }
}
