package io.github.jcacheredis.processor;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** One result of {@code invokeAll}: a value, or the processor's failure thrown on {@link #get()}. */
public final class ProcessorResult<T> implements EntryProcessorResult<T> {

    private final T value;
    private final EntryProcessorException failure;

    private ProcessorResult(T value, EntryProcessorException failure) {
        this.value = value;
        this.failure = failure;
    }

    public static <T> ProcessorResult<T> of(T value) {
        return new ProcessorResult<>(value, null);
    }

    public static <T> ProcessorResult<T> failed(EntryProcessorException failure) {
        return new ProcessorResult<>(null, failure);
    }

    @Override
    public T get() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
