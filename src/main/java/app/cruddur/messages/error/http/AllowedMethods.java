package app.cruddur.messages.error.http;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each resource path answers, for the {@code Allow} header of a 405 (RFC 9110 §15.5.6)
 * and the answer to a plain {@code OPTIONS} (CORS preflights are the CORS filter's). Read once from
 * the JAX-RS annotations of the service's own resources, so that a new endpoint needs no list kept
 * in step.
 */
@Singleton
class AllowedMethods {

    private final Map<Pattern, Set<String>> byPath;

    /** The service's resources, found among its CDI beans (JAX-RS resources are beans in Quarkus). */
    @Inject
    AllowedMethods(BeanManager beans) {
        this(resourceClasses(beans));
    }

    AllowedMethods(List<Class<?>> resourceClasses) {
        this.byPath = index(resourceClasses);
    }

    private static List<Class<?>> resourceClasses(BeanManager beans) {
        List<Class<?>> classes = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            if (type.isAnnotationPresent(Path.class) && type.getPackageName().startsWith("app.cruddur")) {
                classes.add(type);
            }
        }
        return classes;
    }

    private static Map<Pattern, Set<String>> index(List<Class<?>> resourceClasses) {
        Map<String, Set<String>> templates = new LinkedHashMap<>();
        for (Class<?> resource : resourceClasses) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path path = method.getAnnotation(Path.class);
                String template = join(base, path == null ? "" : path.value());
                Set<String> verbs = templates.computeIfAbsent(template, t -> new TreeSet<>());
                verbs.add(verb);
                if (verb.equals("GET")) {
                    verbs.add("HEAD");
                }
                verbs.add("OPTIONS");
            }
        }
        Map<Pattern, Set<String>> byPath = new LinkedHashMap<>();
        templates.forEach((template, verbs) -> byPath.put(pattern(template), Set.copyOf(verbs)));
        return byPath;
    }

    /**
     * Answers {@code OPTIONS} on a resource path with its own methods (the REST layer would list
     * every method of the resource class).
     */
    void install(@Observes Router router) {
        router.route().method(io.vertx.core.http.HttpMethod.OPTIONS).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(context -> {
            Set<String> methods = methods(context.normalizedPath());
            if (methods.isEmpty()) {
                context.next();
                return;
            }
            context.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, String.join(", ", methods)).end();
        });
    }

    /** The methods the resources answer on a request path, in the Allow header's order; none for a path of no resource. */
    Set<String> methods(String requestPath) {
        Set<String> verbs = new TreeSet<>();
        byPath.forEach((pattern, methods) -> {
            if (pattern.matcher(requestPath).matches()) {
                verbs.addAll(methods);
            }
        });
        return verbs;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A template such as {@code /api/messages/{id}} as a pattern: each parameter is one path segment. */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(at)));
                break;
            }
            regex.append(Pattern.quote(template.substring(at, open))).append("[^/]+");
            at = template.indexOf('}', open) + 1;
        }
        return Pattern.compile(regex + "/?");
    }
}
