www.example.lan A
nas.example.lan A
printer.example.lan A
