package app.cruddur.messages.trace;

import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The ids of the traces that begin here, as X-Ray takes them: a trace id's first 8 hex digits are the
 * epoch second it began (X-Ray refuses a trace whose id names no recent time), the rest random. Still a
 * valid W3C trace id, so everything else reads it as any other. Quarkus builds its tracer with this bean.
 */
public class XrayTraceIds {

    /** Looked up by Quarkus' tracer, not injected: kept although no bean names it. */
    @Produces
    @Singleton
    @Unremovable
    IdGenerator ids() {
        return AwsXrayIdGenerator.getInstance();
    }
}
