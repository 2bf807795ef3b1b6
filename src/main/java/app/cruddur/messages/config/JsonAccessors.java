package app.cruddur.messages.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.ImageMode;
import jakarta.inject.Singleton;

/**
 * Jackson calls the views' accessors through lambdas it generates once (Blackbird) instead of
 * {@code Method.invoke}, whose access check on every call was 3% of a page's CPU time. A native
 * executable cannot generate classes at run time, so there Jackson keeps its reflection.
 */
@Singleton
public class JsonAccessors implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        if (ImageMode.current() != ImageMode.NATIVE_RUN) {
            mapper.registerModule(new BlackbirdModule());
        }
    }
}
